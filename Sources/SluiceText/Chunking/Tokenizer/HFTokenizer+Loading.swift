public import SluiceJSON

extension HFTokenizer {
    /// Builds a tokenizer from a parsed `tokenizer.json`; refuses components it does not support.
    public convenience init(json: JSONValue) throws(TokenizerLoadError) {
        guard case .object(let root) = json else { throw TokenizerLoadError("tokenizer.json must hold a JSON object") }
        guard let modelJSON = root["model"]?.objectValue else { throw TokenizerLoadError("tokenizer.json has no 'model'") }
        let normalizer = try Self.normalizer(root["normalizer"] ?? .null)
        let preTokenizer = try Self.preTokenizer(root["pre_tokenizer"] ?? .null)
        let type = modelJSON["type"]?.stringValue ?? (modelJSON["merges"] != nil ? "BPE" : "")
        let model: Model
        switch type {
        case "WordPiece":
            model = .wordPiece(try WordPieceModel(
                vocab: try Self.vocab(modelJSON["vocab"]),
                unknownToken: modelJSON["unk_token"]?.stringValue ?? "[UNK]",
                continuingPrefix: modelJSON["continuing_subword_prefix"]?.stringValue ?? "##",
                maxInputCharsPerWord: modelJSON["max_input_chars_per_word"]?.numberValue?.intValue ?? 100))
        case "BPE":
            var c = BPEModel.Config(vocab: try Self.vocab(modelJSON["vocab"]), merges: try Self.merges(modelJSON["merges"]))
            c.unknownToken = modelJSON["unk_token"]?.stringValue
            c.fuseUnknown = modelJSON["fuse_unk"]?.boolValue ?? false
            c.byteFallback = modelJSON["byte_fallback"]?.boolValue ?? false
            c.ignoreMerges = modelJSON["ignore_merges"]?.boolValue ?? false
            c.continuingPrefix = modelJSON["continuing_subword_prefix"]?.stringValue ?? ""
            c.endOfWordSuffix = modelJSON["end_of_word_suffix"]?.stringValue ?? ""
            if let d = modelJSON["dropout"], !d.isNull, d.numberValue?.doubleValue != 0 {
                throw TokenizerLoadError("BPE dropout makes counts random; it is not supported")
            }
            c.byteLevel = preTokenizer?.isByteLevel ?? false
            model = .bpe(try BPEModel(c))
        case "WordLevel":
            var vocab: [String: Int32] = [:]
            for (k, id) in try Self.vocab(modelJSON["vocab"]) { vocab[k] = Int32(id) }
            let unk = modelJSON["unk_token"]?.stringValue ?? "[UNK]"
            guard let unknownID = vocab[unk] else { throw TokenizerLoadError("the WordLevel unknown token '\(unk)' is not in the vocabulary") }
            model = .wordLevel(vocab: vocab, unknownID: unknownID)
        default:
            throw TokenizerLoadError("model type '\(type)' is not supported (WordPiece, WordLevel and BPE are)")
        }
        var added: [(bytes: [UInt8], id: Int32)] = []
        for item in root["added_tokens"]?.arrayValue ?? [] {
            guard let content = item["content"]?.stringValue, !content.isEmpty else { continue }
            guard let id = item["id"]?.numberValue?.intValue, id >= 0, id <= Int(Int32.max) else {
                throw TokenizerLoadError("added token '\(content)' has no valid id")
            }
            added.append((Array(content.utf8), Int32(id)))
        }
        self.init(normalizer: normalizer, preTokenizer: preTokenizer, model: model, addedTokens: added, modelType: type)
    }

    private static func vocab(_ v: JSONValue?) throws(TokenizerLoadError) -> [(String, Int)] {
        guard let o = v?.objectValue else { throw TokenizerLoadError("the model has no 'vocab' object") }
        var out: [(String, Int)] = []
        out.reserveCapacity(o.count)
        for (k, value) in o {
            guard let id = value.numberValue?.intValue, id >= 0, id <= Int(Int32.max) else {
                throw TokenizerLoadError("vocabulary entry '\(k)' has no valid id")
            }
            out.append((k, id))
        }
        return out
    }

    private static func merges(_ v: JSONValue?) throws(TokenizerLoadError) -> [(String, String)] {
        guard let list = v?.arrayValue else { throw TokenizerLoadError("the BPE model has no 'merges' list") }
        var out: [(String, String)] = []
        out.reserveCapacity(list.count)
        for item in list {
            if let s = item.stringValue {
                let parts = s.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw TokenizerLoadError("merge '\(s)' is not two tokens") }
                out.append((String(parts[0]), String(parts[1])))
            } else if let pair = item.arrayValue, pair.count == 2, let a = pair[0].stringValue, let b = pair[1].stringValue {
                out.append((a, b))
            } else {
                throw TokenizerLoadError("a merge must be \"a b\" or [\"a\", \"b\"]")
            }
        }
        return out
    }

    static func normalizer(_ v: JSONValue) throws(TokenizerLoadError) -> TokenizerNormalizer? {
        if v.isNull { return nil }
        guard let type = v["type"]?.stringValue else { throw TokenizerLoadError("a normalizer has no 'type'") }
        switch type {
        case "BertNormalizer":
            let lower = v["lowercase"]?.boolValue ?? true
            let strip = v["strip_accents"]?.boolValue ?? lower
            return .bert(cleanText: v["clean_text"]?.boolValue ?? true, handleChineseChars: v["handle_chinese_chars"]?.boolValue ?? true,
                         stripAccents: strip, lowercase: lower)
        case "Lowercase": return .lowercase
        case "StripAccents": return .stripAccents
        case "NFC": return .nfc
        case "NFD": return .nfd
        case "NFKC": return .nfkc
        case "NFKD": return .nfkd
        case "Prepend": return .prepend(v["prepend"]?.stringValue ?? "")
        case "Replace":
            guard let pattern = v["pattern"]?["String"]?.stringValue else {
                throw TokenizerLoadError("Replace normalizers with a regex pattern are not supported")
            }
            return .replace(pattern: pattern, content: v["content"]?.stringValue ?? "")
        case "Sequence":
            var items: [TokenizerNormalizer] = []
            for item in v["normalizers"]?.arrayValue ?? [] { if let n = try normalizer(item) { items.append(n) } }
            return .sequence(items)
        default:
            throw TokenizerLoadError("normalizer '\(type)' is not supported")
        }
    }

    static func preTokenizer(_ v: JSONValue) throws(TokenizerLoadError) -> TokenizerPreTokenizer? {
        if v.isNull { return nil }
        guard let type = v["type"]?.stringValue else { throw TokenizerLoadError("a pre-tokenizer has no 'type'") }
        switch type {
        case "BertPreTokenizer": return .bert
        case "Whitespace": return .whitespace
        case "WhitespaceSplit": return .whitespaceSplit
        case "ByteLevel":
            return .byteLevel(addPrefixSpace: v["add_prefix_space"]?.boolValue ?? true, useRegex: v["use_regex"]?.boolValue ?? true)
        case "Metaspace":
            let replacement = v["replacement"]?.stringValue ?? "\u{2581}"
            guard replacement.unicodeScalars.count == 1, let r = replacement.unicodeScalars.first else {
                throw TokenizerLoadError("Metaspace replacement must be one character")
            }
            let prepend: TokenizerPreTokenizer.MetaspacePrepend
            switch v["prepend_scheme"]?.stringValue {
            case "always"?: prepend = .always
            case "first"?: prepend = .first
            case "never"?: prepend = .never
            case nil: prepend = (v["add_prefix_space"]?.boolValue ?? true) ? .always : .never
            case let other?: throw TokenizerLoadError("Metaspace prepend_scheme '\(other)' is not supported")
            }
            return .metaspace(replacement: r.value, prepend: prepend, split: v["split"]?.boolValue ?? true)
        case "Sequence":
            var items: [TokenizerPreTokenizer] = []
            for item in v["pretokenizers"]?.arrayValue ?? [] { if let n = try preTokenizer(item) { items.append(n) } }
            return .sequence(items)
        default:
            throw TokenizerLoadError("pre-tokenizer '\(type)' is not supported")
        }
    }
}
