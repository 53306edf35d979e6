import ArgumentParser

struct TextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Text tools outside a pipeline: repair encodings and mojibake, chunk for retrieval.",
        subcommands: [TextRepairCommand.self, TextChunkCommand.self])
}
