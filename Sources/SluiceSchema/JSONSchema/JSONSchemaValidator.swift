public import SluiceJSON

/// A JSON Schema (draft 2020-12 or draft 7) compiled once and used to validate many instances.
///
/// Compilation resolves every `$ref` (within the document, to registered documents and mapped
/// folders, never over the network), compiles every regular expression and checks keyword
/// values; a schema that compiles can validate any instance without failing to resolve.
/// Validation is thread-safe (the compiled form is immutable), allocates no error objects when
/// the instance is valid, and is bounded: pathological regular expressions and `$ref` cycles
/// end in `SchemaCheckAborted` instead of hanging.
public struct JSONSchemaValidator: Sendable {
    public struct Options: Sendable {
        /// The dialect for schemas without `$schema`.
        public var defaultDraft: SchemaDraft
        /// Whether `format` is an assertion (true) or only an annotation (false, the 2020-12 default).
        public var formatAssertion: Bool
        /// Draft 7 only: assert `contentEncoding: base64` and `contentMediaType: application/json`
        /// (an optional behaviour of draft 7; 2020-12 makes them annotations only).
        public var contentAssertion: Bool
        /// At most this many violations are collected for one instance.
        public var maxViolations: Int
        /// Steps one regular expression search may take; nil scales with the string length.
        public var regexBudget: Int?

        public init(defaultDraft: SchemaDraft = .draft2020_12, formatAssertion: Bool = false,
                    contentAssertion: Bool = false, maxViolations: Int = 100, regexBudget: Int? = nil) {
            self.contentAssertion = contentAssertion
            self.defaultDraft = defaultDraft
            self.formatAssertion = formatAssertion
            self.maxViolations = maxViolations
            self.regexBudget = regexBudget
        }
    }

    let root: SchemaNode
    let tracksScope: Bool
    public let options: Options
    /// The dialect of the root schema.
    public var draft: SchemaDraft { root.draft }

    /// The URI a schema without `$id` is known by when none is given.
    public static let defaultURI = "urn:sluice:schema"

    /// Compiles `schema`. `uri` is its retrieval URI (a file URL when read from disk); a `$id`
    /// in the schema takes precedence for resolving its references.
    public init(schema: JSONValue, uri: String = JSONSchemaValidator.defaultURI, registry: SchemaRegistry = SchemaRegistry(),
                options: Options = Options()) throws(SchemaError) {
        let compiler = SchemaCompiler(registry: registry, defaultDraft: options.defaultDraft, formatAssertion: options.formatAssertion,
                                      contentAssertion: options.contentAssertion)
        root = try compiler.compileRoot(schema, uri: uri)
        tracksScope = compiler.usesDynamicScope
        self.options = options
    }

    /// Validates `instance`: the fast check first, and only when it fails a second pass that
    /// collects every violation with its locations.
    public func validate(_ instance: JSONValue) -> SchemaValidationResult {
        do {
            if try isValid(instance) { return .valid }
        } catch {
            return SchemaValidationResult(isValid: false, violations: [], aborted: error)
        }
        let evaluator = Evaluator(collect: true, maxViolations: options.maxViolations, regexBudget: options.regexBudget, tracksScope: tracksScope)
        do {
            let ok = try evaluator.validate(root, instance, nil)
            return SchemaValidationResult(isValid: ok, violations: evaluator.violations, aborted: nil)
        } catch {
            return SchemaValidationResult(isValid: false, violations: evaluator.violations,
                                          aborted: SchemaCheckAborted(reason: error.reason, instanceLocation: error.instanceLocation))
        }
    }

    /// Whether `instance` is valid, without collecting violations.
    public func isValid(_ instance: JSONValue) throws(SchemaCheckAborted) -> Bool {
        let evaluator = Evaluator(collect: false, maxViolations: 0, regexBudget: options.regexBudget, tracksScope: tracksScope)
        do {
            return try evaluator.validate(root, instance, nil)
        } catch {
            throw SchemaCheckAborted(reason: error.reason, instanceLocation: error.instanceLocation)
        }
    }

    /// Checks a schema document against the metaschema of its dialect (`$schema`, else
    /// `defaultDraft`). Returns the metaschema's verdict; throws when the metaschema itself cannot
    /// be resolved (an unknown `$schema` that no registry entry provides).
    public static func checkAgainstMetaschema(_ schema: JSONValue, registry: SchemaRegistry = SchemaRegistry(),
                                              defaultDraft: SchemaDraft = .draft2020_12) throws(SchemaError) -> SchemaValidationResult {
        var metaURI = defaultDraft.metaschemaURI
        if let s = schema["$schema"]?.stringValue { metaURI = s }
        if SchemaDraft.known(metaURI) == .draft2019_09 {
            throw SchemaError(message: "the draft 2019-09 metaschema is not bundled; Sluice checks 2020-12 and draft 7 schemas against their metaschemas",
                              location: "")
        }
        let meta = JSONSchemaValidator.metaschemaReference(metaURI)
        let validator = try JSONSchemaValidator(schema: meta, uri: "urn:sluice:metacheck", registry: registry,
                                                options: Options(defaultDraft: SchemaDraft.known(metaURI) ?? defaultDraft))
        return validator.validate(schema)
    }

    static func metaschemaReference(_ uri: String) -> JSONValue {
        var o = JSONObject()
        if let d = SchemaDraft.known(uri) { o["$schema"] = .string(d.metaschemaURI) }
        o["$ref"] = .string(uri)
        if SchemaDraft.known(uri) == .draft7 {
            // Draft 7 ignores siblings of $ref, so wrap the reference.
            return .object(JSONObject([("allOf", .array([.object(JSONObject([("$ref", .string(uri))]))]))]))
        }
        return .object(o)
    }
}
