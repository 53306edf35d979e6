import Foundation
import SluiceCore
import SluiceJSON
@testable import SluiceText
import Testing

@Suite("repair_encoding stage")
struct RepairEncodingStageTests {
    static func stage(_ opts: [String: ConfigNode]) throws -> RepairEncodingStage {
        let options = ComponentOptions(opts, fields: RepairEncodingStage.descriptor.fields)
        let ctx = BuildContext(pipeline: "t", instanceName: "repair", baseDirectory: URL(fileURLWithPath: "/tmp"))
        return try RepairEncodingStage(options: options, context: ctx)
    }

    static func scalar(_ s: String) -> ConfigNode { ConfigNode(.scalar(s, quoted: false)) }
    static func list(_ s: [String]) -> ConfigNode { ConfigNode(.sequence(s.map(scalar))) }

    static func record(_ value: JSONValue) -> Record {
        Record(id: "r1", value: value, provenance: Provenance(input: "in", uri: "mem", locator: Locator(line: 1), sha256: ""))
    }

    @Test("descriptor is named repair_encoding and every field has a doc")
    func descriptor() {
        #expect(RepairEncodingStage.descriptor.name == "repair_encoding")
        #expect(RepairEncodingStage.descriptor.fields.allSatisfy { !$0.doc.isEmpty })
    }

    @Test("default: every string at any depth is repaired, and the note explains it")
    func allStrings() throws {
        let s = try Self.stage([:])
        let rec = Self.record(["title": "CafÃ©", "n": 3, "tags": ["ok", "naÃ¯ve"], "meta": ["note": "a\r\nb"]])
        guard case .pass(let out, let notes) = try s.process(rec) else { Issue.record("expected pass"); return }
        #expect(out.value["title"] == "Café")
        #expect(out.value["tags"] == ["ok", "naïve"])
        #expect(out.value["meta"]?["note"] == "a\nb")
        #expect(out.value["n"] == 3)
        let note = try #require(notes.first)
        #expect(note.event == "repaired")
        let fields = try #require(note.details?["fields"]?.arrayValue)
        #expect(fields.compactMap { $0["pointer"]?.stringValue } == ["/title", "/tags/1", "/meta/note"])
        #expect(fields.first?["fixes"]?.arrayValue?.first?["detail"] == "utf-8 read as latin-1")
    }

    @Test("clean records pass unchanged with no note")
    func clean() throws {
        let s = try Self.stage([:])
        let rec = Self.record(["title": "Plain text", "body": "Déjà vu, already NFC."])
        guard case .pass(let out, let notes) = try s.process(rec) else { Issue.record("expected pass"); return }
        #expect(out == rec)
        #expect(notes.isEmpty)
    }

    @Test("fields limits the repair to the listed pointers")
    func selectedFields() throws {
        let s = try Self.stage(["fields": Self.list(["/body"])])
        guard case .pass(let out, _) = try s.process(Self.record(["title": "CafÃ©", "body": "CafÃ©"])) else {
            Issue.record("expected pass"); return
        }
        #expect(out.value["title"] == "CafÃ©")
        #expect(out.value["body"] == "Café")
    }

    @Test("U+FFFD quarantines by default; keep and replace let it pass")
    func undecodable() throws {
        let rec = Self.record(["body": "caf\u{FFFD} CafÃ©"])
        guard case .quarantine(let f) = try Self.stage([:]).process(rec) else { Issue.record("expected quarantine"); return }
        #expect(f.code == .undecodableText)
        #expect(f.pointer == "/body")
        #expect(f.stage == "repair")

        guard case .pass(let kept, let notes) = try Self.stage(["on_undecodable": Self.scalar("keep")]).process(rec) else {
            Issue.record("expected pass"); return
        }
        #expect(kept.value["body"] == "caf\u{FFFD} CafÃ©")
        #expect(notes.first?.details?["fields"]?.arrayValue?.first?["kept"] == true)

        guard case .pass(let replaced, _) = try Self.stage(["on_undecodable": Self.scalar("replace")]).process(rec) else {
            Issue.record("expected pass"); return
        }
        #expect(replaced.value["body"] == "caf\u{FFFD} Café")
    }

    @Test("switches are read from the options")
    func switches() throws {
        let s = try Self.stage(["straighten_quotes": Self.scalar("true"), "unicode_form": Self.scalar("none"),
                                "decode_html_entities": Self.scalar("false")])
        guard case .pass(let out, _) = try s.process(Self.record(["t": "“a” &amp; e\u{301}"])) else { Issue.record("pass"); return }
        #expect(out.value["t"]?.stringValue?.unicodeScalars.elementsEqual("\"a\" &amp; e\u{301}".unicodeScalars) == true)
    }

    @Test("bad option values are diagnostics, not crashes")
    func badOptions() {
        #expect(throws: ConfigDiagnostic.self) { try Self.stage(["on_undecodable": Self.scalar("shrug")]) }
        #expect(throws: ConfigDiagnostic.self) { try Self.stage(["min_confidence": Self.scalar("2")]) }
        #expect(throws: ConfigDiagnostic.self) { try Self.stage(["unicode_form": Self.scalar("nfd")]) }
    }

    @Test("absurd nesting is quarantined, not recursed without bound")
    func deepNesting() throws {
        var v: JSONValue = "CafÃ©"
        for _ in 0..<(RepairEncodingStage.maxDepth + 5) { v = .array([v]) }
        guard case .quarantine(let f) = try Self.stage([:]).process(Self.record(["deep": v])) else {
            Issue.record("expected quarantine"); return
        }
        #expect(f.code == .tooDeep)
    }

    @Test("a repair below min_confidence follows on_undecodable")
    func lowConfidence() throws {
        // Correct text and mojibake in one string: only the runs can be fixed (confidence 0.8).
        let text = "Un café correct, puis CafÃ© cassÃ©"
        let r = EncodingRepair.repair(text)
        #expect(r.confidence < 0.9 && r.changed, "\(r)")
        let rec = Self.record(["body": .string(text)])
        guard case .pass(let fixed, _) = try Self.stage([:]).process(rec) else { Issue.record("expected pass at the default 0.75"); return }
        #expect(fixed.value["body"] == "Un café correct, puis Café cassé")
        guard case .quarantine(let f) = try Self.stage(["min_confidence": Self.scalar("0.9")]).process(rec) else {
            Issue.record("expected quarantine"); return
        }
        #expect(f.code == .undecodableText)
        #expect(f.message.contains("below min_confidence 0.9"), "\(f.message)")
        #expect(f.details?["fixes"]?.arrayValue?.first?["fix"] == "mojibake", "the refused fixes are in the quarantine details")
        guard case .pass(let kept, let notes) = try Self.stage(["min_confidence": Self.scalar("0.9"), "on_undecodable": Self.scalar("keep")])
            .process(rec) else { Issue.record("expected pass"); return }
        #expect(kept == rec)
        #expect(notes.first?.details?["fields"]?.arrayValue?.first?["refused"]?.stringValue?.contains("confidence") == true)
    }

    @Test("each switch turns its fix off, and the note lists the fixes applied")
    func eachSwitch() throws {
        let input = "CafÃ©\r\nzero\u{200B}width bell\u{07} &amp; e\u{301} ﬁ"
        let rec = Self.record(["t": .string(input)])
        func fixes(_ opts: [String: ConfigNode]) throws -> (String, [String]) {
            guard case .pass(let out, let notes) = try Self.stage(opts).process(rec) else { Issue.record("expected pass"); return ("", []) }
            let fields = notes.first?.details?["fields"]?.arrayValue ?? []
            let kinds = fields.first?["fixes"]?.arrayValue?.compactMap { $0["fix"]?.stringValue } ?? []
            return (out.value["t"]?.stringValue ?? "", kinds)
        }
        let all = try fixes([:])
        #expect(all.0.unicodeScalars.elementsEqual("Café\nzerowidth bell & é ﬁ".unicodeScalars))
        #expect(all.1 == ["mojibake", "html_entities", "line_endings", "zero_width", "control_chars", "nfc"])
        let off: [(String, String)] = [("fix_mojibake", "mojibake"), ("decode_html_entities", "html_entities"),
                                       ("normalize_line_endings", "line_endings"), ("remove_zero_width", "zero_width"),
                                       ("remove_control_chars", "control_chars")]
        for (option, kind) in off {
            let r = try fixes([option: Self.scalar("false")])
            #expect(!r.1.contains(kind), "\(option): false still applied \(kind)")
            #expect(r.1.count == all.1.count - 1, "\(option): \(r.1)")
        }
        let nfkc = try fixes(["unicode_form": Self.scalar("nfkc")])
        #expect(nfkc.0.hasSuffix("é fi"))
        #expect(nfkc.1.last == "nfkc")
        let none = try fixes(["unicode_form": Self.scalar("none")])
        #expect(!none.1.contains("nfc"))
    }

    @Test("a record whose strings are all clean passes as is: ASCII, accents and curly quotes")
    func cleanRecordsTakeTheFastPath() throws {
        let rec = Self.record(["a": "plain", "b": ["x", 1, ["y": "naïve “quoted” text"]], "c": .null])
        #expect(!RepairEncodingStage.mayNeedWork(rec.value, options: EncodingRepairOptions(), depth: 0))
        guard case .pass(let out, let notes) = try Self.stage([:]).process(rec) else { Issue.record("expected pass"); return }
        #expect(out == rec)
        #expect(notes.isEmpty)
        #expect(RepairEncodingStage.mayNeedWork(["b": ["x", ["y": "CafÃ©"]]], options: EncodingRepairOptions(), depth: 0))
    }
}
