import ArgumentParser

extension SluiceCommand {
    /// The explicit list of subcommands.
    static var allSubcommands: [any ParsableCommand.Type] {
        [RunCommand.self, ValidateCommand.self, ComponentsCommand.self, CredentialsCommand.self, SchemaCommand.self, TextCommand.self, AuditCommand.self, StateCommand.self, QuarantineCommand.self, TestCommand.self, ReportCommand.self]
    }
}
