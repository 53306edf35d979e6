import Foundation
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

/// Streamed formats (CSV, XML) in legacy encodings: one decision per file from its first 64 KiB,
/// every row decoded with it, and rows that do not decode quarantined with a precise reason.
@Suite struct LegacyEncodingTests {
    private func bytes(_ text: String, _ encoding: String.Encoding) throws -> [UInt8] {
        try #require(text.data(using: encoding).map { Array($0) }, "Foundation cannot encode the sample as \(encoding)")
    }

    private func events(_ run: Run) -> [AuditEvent] {
        run.items.compactMap { if case .event(let e) = $0 { return e } else { return nil } }
    }

    private static let russian = [
        ("Москва", "Столица России и крупнейший город страны"),
        ("Санкт-Петербург", "Северная столица на Неве"),
        ("Новосибирск", "Крупнейший город Сибири"),
    ]

    @Test func windows1252CSVIsDetectedAndEveryRowDecoded() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let csv = "nom,ville,note\nÉlodie,Besançon,très bien\nFrançois,Orléans,\"déjà vu, à côté\"\nZoë,Noël,œuvre — 5 €\n"
        try f.write("a.csv", bytes: try bytes(csv, .windowsCP1252))
        let run = try await f.read(["paths": .s("a.csv")])
        #expect(run.failures.isEmpty, "\(run.failures.map(\.message))")
        #expect(run.records.map { $0.value } == [
            ["nom": "Élodie", "ville": "Besançon", "note": "très bien"],
            ["nom": "François", "ville": "Orléans", "note": "déjà vu, à côté"],
            ["nom": "Zoë", "ville": "Noël", "note": "œuvre — 5 €"],
        ])
        // The choice is in the audit trail and the summary, not silent.
        let event = try #require(events(run).first)
        #expect(event.event == "decoded")
        #expect(event.reason == "windows-1252")
        #expect(event.uri == "a.csv")
        #expect(run.notices.map(\.code) == ["legacy_charset_files"])
        #expect(run.notices.first?.message.contains("windows-1252") == true)
    }

    @Test func shiftJISCSVKeepsDelimitersInsideDoubleByteCharacters() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        // ポ is 83 7C (`|`), ソ is 83 5C and 表 is 95 5C (`\`): a byte scanner that ignores lead
        // bytes would cut ポ in two at the `|` delimiter.
        let csv = "品名|説明\nポンプ|ソフトウェアの表示\n東京タワー|日本の電波塔、高さ三百三十三メートル\n"
        try f.write("jp.csv", bytes: try bytes(csv, .shiftJIS))
        let run = try await f.read(["paths": .s("jp.csv"), "csv": .map(["delimiter": .s("|")])])
        #expect(run.failures.isEmpty, "\(run.failures.map(\.message))")
        #expect(run.records.map { $0.value } == [
            ["品名": "ポンプ", "説明": "ソフトウェアの表示"],
            ["品名": "東京タワー", "説明": "日本の電波塔、高さ三百三十三メートル"],
        ])
        #expect(events(run).first?.reason == "shift_jis")
    }

    /// More than 64 KiB of windows-1251 rows, then a row with 0x98 (undefined in windows-1251):
    /// the decision is made on the first 64 KiB, and the bad row alone is quarantined, naming
    /// the field, the byte and the encoding.
    @Test func aRowThatDoesNotDecodeInTheChosenCharsetIsQuarantinedPrecisely() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        var good: [UInt8] = try bytes("город,описание\n", .windowsCP1251)
        var rows = 0
        while good.count < 80 * 1024 {
            let (city, text) = Self.russian[rows % Self.russian.count]
            good += try bytes("\(city),\(text) \(rows)\n", .windowsCP1251)
            rows += 1
        }
        let bad = try bytes("Тула,Оружейная ", .windowsCP1251) + [0x98] + Array("\n".utf8)
        let after = try bytes("Казань,Столица Татарстана\n", .windowsCP1251)
        try f.write("ru.csv", bytes: good + bad + after)
        try f.write("ru.csv.gz", bytes: try Gzip.compress(good + bad + after))
        let run = try await f.read(["paths": .list(["ru.csv", "ru.csv.gz"])])
        #expect(run.records.count == 2 * (rows + 1))
        #expect(run.records.first?.value == ["город": "Москва", "описание": "Столица России и крупнейший город страны 0"])
        #expect(run.records.last?.value == ["город": "Казань", "описание": "Столица Татарстана"])
        #expect(run.failures.count == 2)
        for failure in run.failures {
            #expect(failure.code == .undecodableText)
            #expect(failure.message.contains("field 2"), "\(failure.message)")
            #expect(failure.message.contains("0x98"), "\(failure.message)")
            #expect(failure.message.contains("windows-1251"), "\(failure.message)")
            #expect(failure.message.contains("first 64 KiB"), "\(failure.message)")
            #expect(failure.original?.bytes == bad.dropLast(), "the quarantine keeps the row's own bytes")
        }
        #expect(events(run).map(\.reason) == ["windows-1251", "windows-1251"], "gzip is detected on the decompressed prefix")
        for r in run.records { #expect(!JSONWriter.string(r.value).contains("\u{FFFD}")) }
    }

    @Test func anASCIIPrefixDecidesUTF8AndALaterLegacyRowSaysWhy() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        var text = "name,comment\n"
        while text.utf8.count < 70 * 1024 { text += "plain,just ascii text in this row\n" }
        let late = Array("cafe,".utf8) + [0x63, 0x61, 0x66, 0xE9] + Array("\n".utf8)
        try f.write("mixed.csv", bytes: Array(text.utf8) + late)
        let run = try await f.read(["paths": .s("mixed.csv")])
        let failure = try #require(run.failures.first)
        #expect(run.failures.count == 1)
        #expect(failure.code == .undecodableText)
        #expect(failure.message.contains("not valid UTF-8"), "\(failure.message)")
        #expect(failure.message.contains("all ASCII"), "\(failure.message)")
        #expect(events(run).isEmpty)
        #expect(run.records.count > 1000)
    }

    @Test func aPinnedEncodingIsUsedAsIsAndCheckedRowByRow() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        // Short Polish text detection could take for windows-1252; the pin settles it.
        try f.write("pl.csv", bytes: try bytes("imię,miasto\nŁukasz,Łódź\nŻaneta,Kraków\n", .windowsCP1250))
        let pinned = try await f.read(["paths": .s("pl.csv"), "encoding": .s("windows-1250")])
        #expect(pinned.failures.isEmpty)
        #expect(pinned.records.map { $0.value } == [["imię": "Łukasz", "miasto": "Łódź"], ["imię": "Żaneta", "miasto": "Kraków"]])
        #expect(events(pinned).first?.reason == "windows-1250")
        // Pinned UTF-8: legacy bytes are not detected, they are quarantined.
        let strict = try await f.read(["paths": .s("pl.csv"), "encoding": .s("utf-8")])
        #expect(strict.records.isEmpty)
        #expect(strict.failures.map(\.code) == [.undecodableText])
        #expect(strict.failures.first?.message.contains("header row") == true)
        let headerOnly = try await f.read(["paths": .s("pl.csv"), "encoding": .s("utf-8"), "csv": .map(["header": .s("false")])])
        #expect(headerOnly.failures.count == 3)
        #expect(headerOnly.failures.allSatisfy { $0.code == .undecodableText && $0.message.contains("encoding: utf-8") })
    }

    @Test func utf16CSVWithoutAByteOrderMarkIsTranscoded() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let csv = "word,meaning\nGrüße,greetings from Köln\nnaïve,without guile\n"
        try f.write("detected.csv", bytes: try bytes(csv, .utf16LittleEndian))
        try f.write("pinned.csv", bytes: try bytes(csv, .utf16BigEndian))
        let detected = try await f.read(["paths": .s("detected.csv")])
        let pinned = try await f.read(["paths": .s("pinned.csv"), "encoding": .s("utf-16be")])
        for run in [detected, pinned] {
            #expect(run.failures.isEmpty, "\(run.failures.map(\.message))")
            #expect(run.records.map { $0.value } == [["word": "Grüße", "meaning": "greetings from Köln"], ["word": "naïve", "meaning": "without guile"]])
        }
        #expect(events(detected).first?.reason == "utf-16le")
    }

    @Test func theEncodingOptionIsValidated() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        #expect(throws: ConfigDiagnostic.self) { try f.input(["paths": .s("*.csv"), "encoding": .s("ebcdic")]) }
        #expect(throws: ConfigDiagnostic.self) { try f.input(["paths": .s("*.jsonl"), "format": .s("jsonl"), "encoding": .s("windows-1252")]) }
        #expect(try f.input(["paths": .s("*.csv"), "encoding": .s("shift_jis")]).settings.encoding?.name == "shift_jis")
        #expect(try f.input(["paths": .s("*.csv")]).settings.encoding == nil)
    }

    @Test func pinnedTextDocumentsAndTheirFailures() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("ok.txt", bytes: try bytes("Привет, мир!\nВторая строка.\n", .windowsCP1251))
        try f.write("bad.txt", bytes: try bytes("Привет", .windowsCP1251) + [0x98])
        let run = try await f.read(["paths": .s("*.txt"), "encoding": .s("windows-1251")])
        let ok = try #require(run.records.first)
        #expect(ok.string("title") == "Привет, мир!")
        #expect(ok.string("source_charset") == "windows-1251")
        let failure = try #require(run.failures.first)
        #expect(failure.code == .undecodableText)
        #expect(failure.message.contains("not valid windows-1251"), "\(failure.message)")
        #expect(failure.message.contains("0x98 at offset 6"), "\(failure.message)")
    }

    @Test func xmlInLegacyEncodingsWithAndWithoutADeclaration() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        func xml(_ declaration: String?, _ body: String) -> String {
            (declaration.map { "<?xml version=\"1.0\" encoding=\"\($0)\"?>\n" } ?? "") + "<items><item lang=\"x\">\(body)</item></items>\n"
        }
        let french = "Le garçon a mangé une crêpe à la crème près de la fenêtre, déjà froide."
        let russian = "Съешь же ещё этих мягких французских булок, да выпей чаю. Широкая электрификация южных губерний."
        let japanese = "東京タワーは日本の電波塔です。ソフトウェアの表示"
        try f.write("a-cp1252.xml", bytes: try bytes(xml("windows-1252", french), .windowsCP1252))
        try f.write("b-sjis.xml", bytes: try bytes(xml("Shift_JIS", japanese), .shiftJIS))
        try f.write("c-cp1251-undeclared.xml", bytes: try bytes(xml(nil, russian), .windowsCP1251))
        // The classic mislabel: declared Latin-1, written in UTF-8.
        try f.write("d-mislabelled.xml", bytes: Array(xml("ISO-8859-1", french).utf8))
        try f.write("e-sjis-undeclared.xml.gz", bytes: try Gzip.compress(try bytes(xml(nil, japanese), .shiftJIS)))
        // Undeclared bytes that are no text in any encoding (binary: control bytes).
        try f.write("f-junk.xml", bytes: Array("<items><item>".utf8) + [0x81, 0x01, 0x8D, 0x02, 0xFF, 0x03, 0x9D] + Array("</item></items>".utf8))
        let run = try await f.read(["paths": .s("*.xml*"), "xml": .map(["record_element": .s("item")])])
        let texts = run.records.map { $0.value["#text"]?.stringValue }
        #expect(texts == [french, japanese, russian, french, japanese])
        #expect(run.failures.count == 1)
        let junk = try #require(run.failures.first)
        #expect(junk.code == .undecodableText)
        #expect(junk.recordID?.hasPrefix("f-junk.xml") == true)
        #expect(junk.message.contains("not UTF-8, and no encoding reads the whole file with confidence"), "\(junk.message)")
        // Declared and confirmed: XML's own rules, no event. Detected or overridden: an event each.
        let decoded = events(run).map { "\($0.uri ?? ""):\($0.reason ?? "")" }
        #expect(decoded == ["c-cp1251-undeclared.xml:windows-1251", "d-mislabelled.xml:utf-8", "e-sjis-undeclared.xml.gz:shift_jis"])
    }

    @Test func aPinnedEncodingOverridesAnXMLDeclaration() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let text = "Привет"
        try f.write("a.xml", bytes: Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r><i>".utf8) + (try bytes(text, .windowsCP1251))
            + Array("</i></r>".utf8))
        let run = try await f.read(["paths": .s("a.xml"), "encoding": .s("windows-1251"), "xml": .map(["record_element": .s("i")])])
        #expect(run.failures.isEmpty, "\(run.failures.map(\.message))")
        #expect(run.records.first?.value == ["#text": .string(text)])
    }

    @Test func aDamagedGzipStillYieldsTheRowsBeforeTheDamageWhenDetectionPeeks() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        var rows = "mot,sens\n"
        for i in 0..<3000 { rows += "été \(i),ça va très bien à côté\n" }
        let gz = try Gzip.compress(try bytes(rows, .windowsCP1252))
        try f.write("cut.csv.gz", bytes: Array(gz.prefix(gz.count / 2)))
        let run = try await f.read(["paths": .s("cut.csv.gz")])
        #expect(run.records.count > 100)
        #expect(run.records.first?.value == ["mot": "été 0", "sens": "ça va très bien à côté"])
        #expect(run.failures.map(\.code) == [.corruptCompression])
    }

    @Test func aLegacyCSVResumesFromItsCheckpointWithTheSameDecision() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        var csv = "番号|品名|説明\n"
        var n = 0
        while csv.utf8.count < 100 * 1024 {
            csv += "\(n)|ポンプ\(n)|ソフトウェアの表示と東京タワー\n"
            n += 1
        }
        try f.write("big.csv", bytes: try bytes(csv, .shiftJIS))
        let options: [String: Opt] = ["paths": .s("big.csv"), "csv": .map(["delimiter": .s("|")])]
        let full = try await f.read(options)
        #expect(full.failures.isEmpty)
        #expect(full.records.count == n)
        #expect(full.records.last?.value == ["番号": .string("\(n - 1)"), "品名": .string("ポンプ\(n - 1)"), "説明": "ソフトウェアの表示と東京タワー"])
        let first = try await f.read(options, max: 1000)
        let rest = try await f.read(options, checkpoint: first.checkpoint)
        #expect(first.records + rest.records == full.records)
        #expect(first.checkpoint["files"]?["big.csv"]?["offset"] != nil, "CSV resumes at a byte offset")
        #expect(events(rest).first?.reason == "shift_jis", "the resumed read decides the same way, and says so")
    }
}
