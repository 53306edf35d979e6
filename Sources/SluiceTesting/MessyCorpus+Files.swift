public import Foundation
import SluiceCore
import SluiceJSON

/// Writing the corpus: `files/<format>/fNNNNNNN.<ext>[.gz]` and `truth.jsonl`.
extension MessyCorpus {
    public struct Written: Sendable {
        public var records: Int
        public var files: Int
        public var bytes: Int
    }

    /// Writes the corpus under `directory` (created; files already there are replaced), streaming:
    /// records are generated a document at a time and each file is written as soon as it is full
    /// (the truth too), so memory stays bounded whatever the size. Files are numbered in the order
    /// they are written, so within a format name order is generation order and every copy comes
    /// after its original.
    @discardableResult
    public func write(to directory: URL) throws -> Written {
        let fm = FileManager.default
        for format in Format.allCases {
            let folder = directory.appendingPathComponent("files/\(format.rawValue)")
            try? fm.removeItem(at: folder)
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        var writer = try FileWriter(directory: directory, seed: seed)
        var pending: [Format: [Source]] = [:]
        var generator = Generator(seed: seed, documents: documents)
        while let made = generator.next() {
            for s in made {
                pending[s.format, default: []].append(s)
                if pending[s.format]!.count == s.format.perFile {
                    try writer.place(pending[s.format]!, format: s.format)
                    pending[s.format] = []
                }
            }
        }
        for format in Format.allCases where !(pending[format] ?? []).isEmpty { try writer.place(pending[format]!, format: format) }
        return try writer.finish()
    }

    /// Writes the files one group of records at a time, and their truth lines.
    struct FileWriter {
        let directory: URL
        /// File-level trouble (gzip, line endings, BOMs) is drawn from its own generator.
        var rng: SplitMix64
        var written = Written(records: 0, files: 0, bytes: 0)
        let truth: FileHandle
        var truthBuffer: [UInt8] = []
        var hadBlankLine = false

        init(directory: URL, seed: UInt64) throws {
            self.directory = directory
            rng = SplitMix64(seed: seed ^ 0x5EED_F11E)
            let url = directory.appendingPathComponent("truth.jsonl")
            try Data().write(to: url)
            truth = try FileHandle(forWritingTo: url)
        }

        /// Writes one file holding `records` (at most `format.perFile`) and their truth lines.
        mutating func place(_ records: [Source], format: Format) throws {
            var group = records
            written.files += 1
            let gzip = format.perFile > 1 && MessyCorpus.chance(0.2, &rng)
            let eol = format == .xml || format == .html || format == .json ? "\n"
                : MessyCorpus.chance(0.1, &rng) ? "\r\n" : MessyCorpus.chance(0.04, &rng) ? "\r" : "\n"
            let name = "files/\(format.rawValue)/f\(String(written.files).leftPad(7)).\(format.ext)" + (gzip ? ".gz" : "")
            // File-level trouble: mixed line endings, a BOM, UTF-16, a blank line, no final line break.
            let lines: Set<Format> = [.jsonl, .csv, .text, .markdown]
            let utf8 = group.allSatisfy { $0.charset == nil }
            let mixed = lines.contains(format) && utf8 && eol == "\n" && MessyCorpus.chance(0.03, &rng)
            let bom = lines.contains(format) && utf8 && MessyCorpus.chance(0.05, &rng)
            let utf16 = (format == .text || format == .markdown) && utf8 && !bom && MessyCorpus.chance(0.03, &rng)
            // The first JSON Lines file always has one, so that even a small corpus has every kind.
            let blank = format == .jsonl && (MessyCorpus.chance(0.1, &rng) || !hadBlankLine)
            if blank { hadBlankLine = true }
            let noFinal = format == .jsonl && !blank && MessyCorpus.chance(0.1, &rng)
            var cdata = Set<String>()
            for k in group.indices {
                group[k].file = name
                group[k].index = k
                if format == .jsonl { group[k].line = k + 1 + (blank && k > 0 ? 1 : 0) }
                if format == .xml && MessyCorpus.chance(0.3, &rng) { cdata.insert(group[k].id); group[k].kinds.append("cdata") }
                for (on, kind) in [(gzip, "gzip"), (eol == "\r\n", "crlf"), (eol == "\r", "lone_cr"), (mixed, "mixed_eol"),
                                   (bom, "bom_utf8"), (utf16, "utf16le"), (blank, "blank_lines"), (noFinal, "no_final_eol")] where on {
                    group[k].kinds.append(kind)
                }
            }
            var data = try MessyCorpus.render(group, format: format, eol: eol, blankLine: blank, cdata: cdata)
            if mixed {
                var out: [UInt8] = [], n = 0
                for b in data {
                    if b == 0x0A { n += 1; if n % 2 == 0 { out.append(0x0D) } }
                    out.append(b)
                }
                data = out
            }
            if noFinal { while data.last == 0x0A || data.last == 0x0D { data.removeLast() } }
            if bom { data = [0xEF, 0xBB, 0xBF] + data }
            if utf16 {
                guard let wide = Iconv.encode(String(decoding: data, as: UTF8.self), to: "UTF-16LE") else { throw Unencodable(charset: "UTF-16LE") }
                data = [0xFF, 0xFE] + wide
            }
            if gzip { data = Gzip.stored(data) }
            try Data(data).write(to: directory.appendingPathComponent(name))
            written.bytes += data.count
            written.records += group.count
            for s in group {
                JSONWriter.write(MessyCorpus.truthLine(s), into: &truthBuffer)
                truthBuffer.append(UInt8(ascii: "\n"))
            }
            if truthBuffer.count >= 1 << 20 { try flushTruth() }
        }

        mutating func flushTruth() throws {
            try truth.write(contentsOf: truthBuffer)
            truthBuffer.removeAll(keepingCapacity: true)
        }

        mutating func finish() throws -> Written {
            try flushTruth()
            try truth.close()
            return written
        }
    }

    static func truthLine(_ s: Source) -> JSONValue {
        var o = JSONObject()
        o["id"] = .string(s.id)
        o["format"] = .string(s.format.rawValue)
        o["file"] = .string(s.file)
        if let line = s.line { o["line"] = .number(JSONNumber(line)) }
        o["index"] = .number(JSONNumber(s.index))
        o["lang"] = .string(s.lang)
        o["kinds"] = .array(s.kinds.map { .string($0) })
        switch s.fate {
        case .written:
            o["fate"] = "written"
            o["title"] = .string(s.title)
            o["body"] = .string(s.cleanBody)
        case .quarantined(let code):
            o["fate"] = "quarantined"
            o["reason"] = .string(code)
        case .dropped(let code, let related):
            o["fate"] = "dropped"
            o["reason"] = .string(code)
            o["related"] = .string(related)
        }
        return .object(o)
    }

    /// The fields of a record as its file holds them.
    static func fields(_ s: Source) -> [(String, String)] {
        var f = [("id", s.id), ("article_id", s.article), ("updated_at", s.updatedAt), ("lang", s.lang),
                 ("title", s.title), ("body", s.sourceBody)]
        if let o = s.override, let i = f.firstIndex(where: { $0.0 == o.field }) { f[i].1 = o.value }
        return f
    }

    static func render(_ group: [Source], format: Format, eol: String, blankLine: Bool = false, cdata: Set<String> = []) throws -> [UInt8] {
        func object(_ s: Source) -> JSONValue { .object(JSONObject(fields(s).map { ($0.0, JSONValue.string($0.1)) })) }
        switch format {
        case .jsonl:
            var out: [UInt8] = []
            for s in group {
                var line = JSONWriter.bytes(object(s))
                if s.hostile == "malformed" {    // cut short, at a character boundary
                    var cut = line.count * 3 / 5
                    while cut > 0 && line[cut] & 0xC0 == 0x80 { cut -= 1 }
                    line = Array(line.prefix(cut))
                }
                if s.hostile == "too_deep" {
                    line.removeLast()   // the closing brace
                    line += Array(",\"extra\":".utf8) + Array(repeating: UInt8(ascii: "["), count: 600)
                        + Array(repeating: UInt8(ascii: "]"), count: 600) + [UInt8(ascii: "}")]
                }
                out += line + Array(eol.utf8)
                if blankLine && s.id == group[0].id { out += Array(eol.utf8) }
            }
            return out
        case .json:
            return Array(("[\n" + group.map { " " + JSONWriter.string(object($0)) }.joined(separator: ",\n") + "\n]\n").utf8)
        case .csv:
            func cell(_ v: String) -> String {
                v.contains(where: { ",\"\n\r".contains($0) }) || v.unicodeScalars.contains(where: { $0 == "\r" })
                    ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
            }
            var rows = ["id,article_id,updated_at,lang,title,body"]
            for s in group {
                var row = fields(s).map { cell($0.1.replacingOccurrences(of: "\n", with: eol)) }.joined(separator: ",")
                if s.hostile == "malformed" { row += ",stray" }
                rows.append(row)
            }
            return Array((rows.joined(separator: eol) + eol).utf8)
        case .xml:
            func esc(_ v: String) -> String {
                v.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            }
            let docs = group.map { s in
                "  <doc>" + fields(s).map { f in
                    f.0 == "body" && cdata.contains(s.id) && !f.1.contains("]]>") ? "<body><![CDATA[\(f.1)]]></body>" : "<\(f.0)>\(esc(f.1))</\(f.0)>"
                }.joined() + "</doc>"
            }
            return Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<docs>\n" + docs.joined(separator: "\n") + "\n</docs>\n").utf8)
        case .text:
            let s = group[0], f = fields(s)
            let headers = ["Title", "Id", "Article Id", "Updated At", "Lang"].map { name in
                "\(name): " + f.first { $0.0 == name.lowercased().replacingOccurrences(of: " ", with: "_") }!.1
            }
            let text = (headers + [""]).joined(separator: "\n") + "\n" + s.sourceBody + "\n"
            return try encode(text.replacingOccurrences(of: "\n", with: eol), charset: s.charset)
        case .markdown:
            let s = group[0], f = fields(s)
            let front = f.filter { $0.0 != "body" }.map { "\($0.0): \"\($0.1)\"" }
            let text = (["---"] + front + ["---"]).joined(separator: "\n") + "\n" + s.sourceBody + "\n"
            return try encode(text.replacingOccurrences(of: "\n", with: eol), charset: s.charset)
        case .html:
            let s = group[0], f = Dictionary(fields(s), uniquingKeysWith: { a, _ in a })
            func esc(_ v: String) -> String {
                v.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            }
            let charset = s.charset?.lowercased() ?? "utf-8"
            let paragraphs = s.sourceBody.components(separatedBy: "\n\n").map { "<p>\(esc($0))</p>" }.joined(separator: "\n")
            let page = """
                <!DOCTYPE html>
                <html lang="\(f["lang"]!)"><head><meta charset="\(charset)"><title>\(esc(f["title"]!))</title>
                <meta name="id" content="\(f["id"]!)"><meta name="article_id" content="\(f["article_id"]!)">
                <meta name="updated_at" content="\(esc(f["updated_at"]!))"></head>
                <body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
                <article>
                \(paragraphs)
                </article>
                <footer>Corpus footer</footer></body></html>

                """
            return try encode(page, charset: s.charset)
        }
    }

    struct Unencodable: Error, CustomStringConvertible {
        var charset: String
        var description: String { "the corpus text cannot be written in \(charset)" }
    }

    /// `text` in `charset` through iconv (UTF-8 when nil).
    static func encode(_ text: String, charset: String?) throws -> [UInt8] {
        guard let charset else { return Array(text.utf8) }
        guard let out = Iconv.encode(text, to: charset) else { throw Unencodable(charset: charset) }
        return out
    }
}
