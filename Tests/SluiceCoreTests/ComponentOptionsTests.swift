import Foundation
import SluiceCore
import Testing

/// Options read through the descriptor: defaults and bounds stated once there; a component built
/// from the options that passed the linter; each diagnostic once.
@Suite struct ComponentOptionsTests {
    static let fields = [
        FieldSpec("size", .integer(min: 1, max: 10), doc: "A size.", default: "4"),
        FieldSpec("ratio", .number(min: 0.05, max: 1), doc: "A ratio.", default: "0.8"),
        FieldSpec("keys", .list(.pointer), doc: "Keys."),
    ]

    static func scalar(_ s: String, _ path: String, line: Int) -> ConfigNode {
        ConfigNode(.scalar(s, quoted: false), location: SourceLocation(file: "p.yaml", line: line, column: 9), path: path)
    }

    @Test func defaultsAndBoundsComeFromTheDescriptor() throws {
        let empty = ComponentOptions([:], fields: Self.fields)
        #expect(try empty.intValue("size") == 4)
        #expect(try empty.doubleValue("ratio") == 0.8)
        #expect(throws: ConfigDiagnostic.self) { try empty.intValue("keys") }

        let low = ComponentOptions(["ratio": Self.scalar("0.01", "/s/0/ratio", line: 3)], fields: Self.fields)
        let error = try #require(throws: ConfigDiagnostic.self) { try low.doubleValue("ratio") }
        #expect(error.code == "out_of_range")
        #expect(error.message == "option 'ratio' must be at least 0.05, not 0.01")
        #expect(error.location?.line == 3)
        let high = ComponentOptions(["size": Self.scalar("11", "/s/0/size", line: 2)], fields: Self.fields)
        #expect(throws: ConfigDiagnostic.self) { try high.intValue("size") }
    }

    @Test func withheldOptionsFallBackToTheirDefaults() throws {
        let item = ConfigNode(.mapping([
            .init(key: "size", keyLocation: nil, value: Self.scalar("lots", "/s/0/size", line: 2)),
            .init(key: "keys", keyLocation: nil, value: ConfigNode(.sequence([
                Self.scalar("/a", "/s/0/keys/0", line: 3), Self.scalar("b", "/s/0/keys/1", line: 4),
            ]), path: "/s/0/keys")),
        ]), path: "/s/0")
        let kept = item.withholding(["/s/0/size", "/s/0/keys/1"])
        let options = ComponentOptions(node: kept, fields: Self.fields)
        #expect(try options.intValue("size") == 4)
        #expect(try options.strings("keys") == ["/a"])
        #expect(item.withholding([]).entries?.count == 2)
    }

    @Test func whatRestsOnAWithheldOptionIsNotRepeated() {
        let withheld: Set<String> = ["/stages/1/max_size", "/stages/1/keys/0"]
        func d(_ path: String, _ message: String) -> ConfigDiagnostic {
            ConfigDiagnostic(code: "invalid_value", message: message, location: nil, path: path)
        }
        #expect(d("/stages/1/max_size", "must be at least 1").restsOn(withheld: withheld))
        #expect(d("/stages/1/overlap", "overlap must be smaller than max_size (0)").restsOn(withheld: withheld))
        #expect(d("/stages/1/keys", "'keys' names no field").restsOn(withheld: withheld))
        #expect(!d("/stages/1/overlap", "overlap must be smaller than max_size_bytes").restsOn(withheld: withheld))
        #expect(!d("/stages/1/copy_fields", "copy_fields cannot copy the whole document").restsOn(withheld: withheld))
        #expect(!d("/stages/2/max_size", "must be at least 1").restsOn(withheld: withheld))
    }

    @Test func aRepeatAtTheSamePlaceIsReportedOnce() {
        let place = SourceLocation(file: "p.yaml", line: 22, column: 14)
        let lint = ConfigDiagnostic(code: "wrong_type", message: "option 'max_depth' in 'limits' must be an integer, not a string",
                                    location: place, path: "/limits/max_depth")
        let getter = ConfigDiagnostic(code: "wrong_type", message: "option 'max_depth' must be an integer, not a string",
                                      location: place, path: "/limits/max_depth")
        let other = ConfigDiagnostic(code: "out_of_range", message: "option 'batch_size' in 'limits' must be at least 1, not 0",
                                     location: SourceLocation(file: "p.yaml", line: 21, column: 15), path: "/limits/batch_size")
        #expect(ConfigDiagnostic.unique([lint, other, getter]) == [lint, other])
    }
}
