import SluiceJSON

/// A place in a loaded document: the document's key (its retrieval URI) and a pointer.
struct SchemaLocation: Hashable {
    var document: String
    var pointer: [String]
    var key: String { document + "#" + JSONPointer(tokens: pointer).description }
    func appending(_ tokens: String...) -> SchemaLocation { SchemaLocation(document: document, pointer: pointer + tokens) }
}

/// What the document walk learned about one subschema location.
struct LocationInfo {
    var base: String
    var draft: SchemaDraft
    /// Length of the pointer of the enclosing resource's root.
    var resourceRoot: Int
    var vocabularies: Vocabularies
}

/// Compiles schema documents into `SchemaNode` graphs: indexes `$id`, `$anchor` and
/// `$dynamicAnchor` across every document it loads, resolves references (RFC 3986) and builds
/// each subschema once.
final class SchemaCompiler {
    let registry: SchemaRegistry
    let defaultDraft: SchemaDraft
    let formatAssertion: Bool
    let contentAssertion: Bool
    var documents: [String: JSONValue] = [:]
    var resources: [String: SchemaLocation] = [:]
    var anchors: [String: SchemaLocation] = [:]
    var dynamicAnchors: [String: [String: SchemaLocation]] = [:]
    var info: [String: LocationInfo] = [:]
    var nodes: [String: SchemaNode] = [:]
    var resourceObjects: [String: SchemaResource] = [:]
    var pendingResources: [SchemaResource] = []
    /// The dynamic-anchor name under which a 2019-09 `$recursiveAnchor: true` resource root is
    /// registered (not a valid anchor name, so it cannot clash).
    static let recursiveAnchor = "$recursive"

    /// Some `$dynamicRef` (or `$recursiveRef`) is dynamic, so evaluation must track the dynamic scope.
    var usesDynamicScope = false

    init(registry: SchemaRegistry, defaultDraft: SchemaDraft, formatAssertion: Bool, contentAssertion: Bool) {
        self.contentAssertion = contentAssertion
        self.registry = registry
        self.defaultDraft = defaultDraft
        self.formatAssertion = formatAssertion
    }

    /// Compiles `document` registered under `uri`; returns its root node.
    func compileRoot(_ document: JSONValue, uri: String) throws(SchemaError) -> SchemaNode {
        let key = URIReference(uri).withoutFragment.description
        documents[key] = document
        try index(document: document, key: key, draft: defaultDraft)
        let root = try node(at: SchemaLocation(document: key, pointer: []))
        try finish()
        return root
    }

    /// Fills the dynamic anchors of every resource reached (after the graph exists, so that
    /// anchors pointing back into a resource being built resolve to the shared node).
    func finish() throws(SchemaError) {
        while let resource = pendingResources.popLast() {
            for (name, loc) in dynamicAnchors[resource.uri] ?? [:] {
                resource.dynamicAnchors[name] = try node(at: loc)
            }
        }
    }

    // MARK: Loading and indexing

    func ensureLoaded(_ key: String, draft: SchemaDraft) throws(SchemaError) {
        if resources[key] != nil || documents[key] != nil { return }
        guard let doc = try registry.document(for: key) else { return }
        documents[key] = doc
        try index(document: doc, key: key, draft: draft)
    }

    func index(document: JSONValue, key: String, draft: SchemaDraft) throws(SchemaError) {
        let root = SchemaLocation(document: key, pointer: [])
        if resources[key] == nil { resources[key] = root }
        try walk(document, at: root, base: key, draft: draft, resourceRoot: 0, vocabularies: .all)
    }

    /// The dialect a `$schema` value selects: the official drafts, or a metaschema found in the
    /// registry whose `$vocabulary` says which 2020-12 vocabularies apply.
    func dialect(_ uri: String, at loc: SchemaLocation) throws(SchemaError) -> (SchemaDraft, Vocabularies) {
        if let d = SchemaDraft.known(uri) { return (d, .all) }
        let key = URIReference(uri).withoutFragment.description
        guard let meta = try registry.document(for: key) ?? documents[key] else {
            throw SchemaError(message: "unknown $schema '\(uri)': only drafts 2020-12 and 7 (and metaschemas registered as remotes) are supported",
                              location: loc.key)
        }
        var draft = defaultDraft
        if let s = meta["$schema"]?.stringValue, let d = SchemaDraft.known(s) { draft = d }
        guard draft == .draft2020_12, case .object(let vocab)? = meta["$vocabulary"] else { return (draft, .all) }
        var v = Vocabularies(applicator: false, unevaluated: false, validation: false, formatAssertion: false, content: false)
        for (name, required) in vocab {
            guard name.hasPrefix(Vocabularies.prefix), Vocabularies.known.contains(String(name.dropFirst(Vocabularies.prefix.count))) else {
                if required.boolValue == true {
                    throw SchemaError(message: "metaschema \(uri) requires the unknown vocabulary \(name)", location: loc.key)
                }
                continue
            }
            switch name.dropFirst(Vocabularies.prefix.count) {
            case "applicator": v.applicator = true
            case "unevaluated": v.unevaluated = true
            case "validation": v.validation = true
            case "format-assertion": v.formatAssertion = true
            case "content": v.content = true
            default: break
            }
        }
        return (draft, v)
    }

    func walk(_ value: JSONValue, at loc: SchemaLocation, base: String, draft: SchemaDraft, resourceRoot: Int,
              vocabularies: Vocabularies) throws(SchemaError) {
        guard case .object(let o) = value else {
            if case .bool = value {
                info[loc.key] = LocationInfo(base: base, draft: draft, resourceRoot: resourceRoot, vocabularies: vocabularies)
            }
            return
        }
        var draft = draft, base = base, resourceRoot = resourceRoot, vocabularies = vocabularies
        if let s = o["$schema"]?.stringValue, loc.pointer.isEmpty || o["$id"] != nil {
            (draft, vocabularies) = try dialect(s, at: loc)
        }
        let ignoreID = draft == .draft7 && o["$ref"] != nil
        if !ignoreID, let id = o["$id"]?.stringValue {
            if draft == .draft7 && id.hasPrefix("#") {
                anchors[base + id] = loc
            } else {
                let resolved = URIReference(base).resolving(id)
                let key = resolved.withoutFragment.description
                if draft == .draft2020_12, let f = resolved.fragment, !f.isEmpty {
                    throw SchemaError(message: "$id must not contain a non-empty fragment", location: loc.key)
                }
                base = key
                resourceRoot = loc.pointer.count
                if resources[key] == nil { resources[key] = loc }
                if let f = resolved.fragment, !f.isEmpty { anchors[key + "#" + f] = loc }
            }
        }
        if draft == .draft2019_09, o["$recursiveAnchor"]?.boolValue == true, resourceRoot == loc.pointer.count {
            dynamicAnchors[base, default: [:]][SchemaCompiler.recursiveAnchor] = loc
        }
        if draft.isModern, let a = o["$anchor"]?.stringValue { anchors[base + "#" + a] = loc }
        if draft == .draft2020_12 {
            if let a = o["$dynamicAnchor"]?.stringValue {
                anchors[base + "#" + a] = loc
                dynamicAnchors[base, default: [:]][a] = loc
            }
        }
        info[loc.key] = LocationInfo(base: base, draft: draft, resourceRoot: resourceRoot, vocabularies: vocabularies)
        for kw in draft.singleSchemaKeywords {
            guard let v = o[kw] else { continue }
            if case .array = v { continue }
            try walk(v, at: loc.appending(kw), base: base, draft: draft, resourceRoot: resourceRoot, vocabularies: vocabularies)
        }
        for kw in draft.schemaArrayKeywords {
            guard case .array(let items)? = o[kw] else { continue }
            for (i, v) in items.enumerated() {
                try walk(v, at: loc.appending(kw, String(i)), base: base, draft: draft, resourceRoot: resourceRoot, vocabularies: vocabularies)
            }
        }
        for kw in draft.schemaMapKeywords {
            guard case .object(let m)? = o[kw] else { continue }
            for k in m.keys {
                guard let v = m[k] else { continue }
                try walk(v, at: loc.appending(kw, k), base: base, draft: draft, resourceRoot: resourceRoot, vocabularies: vocabularies)
            }
        }
    }

    /// The indexed facts for `loc`, or those of its nearest indexed ancestor (a `$ref` may point
    /// into a place the walk does not visit, such as an unknown keyword).
    func locationInfo(_ loc: SchemaLocation) -> LocationInfo {
        var p = loc.pointer
        while true {
            if let i = info[SchemaLocation(document: loc.document, pointer: p).key] {
                if p.count == loc.pointer.count { return i }
                return LocationInfo(base: i.base, draft: i.draft, resourceRoot: min(i.resourceRoot, p.count), vocabularies: i.vocabularies)
            }
            if p.isEmpty { break }
            p.removeLast()
        }
        return LocationInfo(base: loc.document, draft: defaultDraft, resourceRoot: 0, vocabularies: .all)
    }

    // MARK: References

    /// Resolves `reference` against `base` to a location that exists; errors name `site`, the
    /// referencing keyword.
    func resolve(_ reference: String, base: String, draft: SchemaDraft, site: String) throws(SchemaError) -> SchemaLocation {
        let target = try locate(reference, base: base, draft: draft, site: site)
        guard let doc = documents[target.document], JSONPointer(tokens: target.pointer).get(in: doc) != nil else {
            throw SchemaError(message: "reference '\(reference)' points to nothing (\(target.key) does not exist)", location: site)
        }
        return target
    }

    func locate(_ reference: String, base: String, draft: SchemaDraft, site: String) throws(SchemaError) -> SchemaLocation {
        let target = URIReference(base).resolving(reference)
        let key = target.withoutFragment.description
        try ensureLoaded(key, draft: draft)
        guard let root = resources[key] else {
            throw SchemaError(message: "cannot resolve reference '\(reference)': no schema is known as \(key) (register it with a remote mapping DIR=BASEURL)",
                              location: site)
        }
        let fragment = target.fragment ?? ""
        if fragment.isEmpty { return root }
        guard let decoded = percentDecoded(fragment) else {
            throw SchemaError(message: "reference '\(reference)' has a malformed percent-encoding", location: site)
        }
        if decoded.hasPrefix("/") {
            do {
                let pointer = try JSONPointer(parsing: decoded)
                return SchemaLocation(document: root.document, pointer: root.pointer + pointer.tokens)
            } catch {
                throw SchemaError(message: "reference '\(reference)': \(error)", location: site)
            }
        }
        guard let anchored = anchors[key + "#" + decoded] else {
            throw SchemaError(message: "cannot resolve reference '\(reference)': no anchor '\(decoded)' in \(key)", location: site)
        }
        return anchored
    }

    func resourceObject(_ uri: String) -> SchemaResource {
        if let r = resourceObjects[uri] { return r }
        let r = SchemaResource(uri: uri)
        resourceObjects[uri] = r
        pendingResources.append(r)
        return r
    }

    // MARK: Nodes

    func node(at loc: SchemaLocation) throws(SchemaError) -> SchemaNode {
        let key = loc.key
        if let n = nodes[key] { return n }
        guard let doc = documents[loc.document] ?? documents[resources[loc.document]?.document ?? ""],
              let value = JSONPointer(tokens: loc.pointer).get(in: doc)
        else {
            throw SchemaError(message: "reference target \(key) does not exist", location: key)
        }
        let inf = locationInfo(loc)
        let relative = JSONPointer(tokens: Array(loc.pointer.dropFirst(inf.resourceRoot))).description
        let node = SchemaNode(location: inf.base + "#" + relative, resource: resourceObject(inf.base), draft: inf.draft)
        nodes[key] = node
        switch value {
        case .bool(let b): node.constant = b
        case .object(let o): try compileKeywords(node, o, at: loc, info: inf)
        default:
            throw SchemaError(message: "a schema must be an object or a boolean, not \(value.typeName)", location: node.location)
        }
        return node
    }
}
