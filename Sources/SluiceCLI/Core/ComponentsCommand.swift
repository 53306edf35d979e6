import ArgumentParser
import Foundation
import Sluice
import SluiceConfig
import SluiceCore

struct ComponentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "components",
        abstract: "List the inputs, stages and outputs a pipeline can use, or describe one.",
        discussion: """
            Examples:
              sluice components                      # every component with its summary
              sluice components file                 # the file input's options, defaults and examples
              sluice components --format markdown > docs/pipeline-reference.md
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown }

    @Argument(help: "A component name (`file`, `chunk`, `jsonl`, ...). Omit it to list all.")
    var name: String?

    @Option(name: .long, help: "Output format: text or markdown (the full pipeline reference).")
    var format: Format = .text

    func run() throws {
        let registry = try Builtins.registry()
        let all = registry.allDescriptors
        if let name {
            let matches = all.filter { $0.name == name }
            guard !matches.isEmpty else {
                let hint = Suggestion.closest(to: name, among: all.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
                ErrorReport.failure("no component named '\(name)'\(hint); 'sluice components' lists them")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            for d in matches { print(format == .markdown ? ReferenceRenderer.markdown(d) : ReferenceRenderer.text(d)) }
            return
        }
        switch format {
        case .markdown:
            print(ReferenceRenderer.reference(all), terminator: "")
        case .text:
            for kind in ComponentDescriptor.Kind.allCases {
                print("\(kind.plural):")
                for d in all where d.kind == kind {
                    print("  \(d.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(d.summary)\(d.status == .stable ? "" : " [\(d.status.rawValue)]")")
                }
            }
            print("\n'sluice components NAME' shows one component's options and examples.")
        }
    }
}
