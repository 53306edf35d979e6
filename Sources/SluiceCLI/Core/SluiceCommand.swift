import ArgumentParser
import Sluice

@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Harden data pipelines: read, repair, validate, deduplicate and chunk documents, with a ledger and an audit trail.",
        discussion: """
            A pipeline is a YAML file with inputs, stages and outputs. Start with:

              sluice validate pipelines/quickstart.yaml     # every problem at once, with file:line:column
              sluice run pipelines/quickstart.yaml          # run it; a second run reports 0 new records
              sluice components                             # what inputs, stages and outputs exist
              sluice components chunk                       # one component's options, with examples

            Exit codes (sysexits): 0 success, 64 usage, 65 data errors over the quarantine threshold,
            66 input missing, 69 upstream unavailable, 70 internal error, 73 cannot create output,
            74 I/O error, 75 try again later (lock held or records deferred), 77 permission denied,
            78 configuration invalid.
            """,
        version: SluiceEngine.version,
        subcommands: SluiceCommand.allSubcommands)
}
