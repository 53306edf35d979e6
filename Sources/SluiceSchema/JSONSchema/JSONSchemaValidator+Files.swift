public import Foundation
public import SluiceJSON

extension JSONSchemaValidator {
    /// Reads, checks and compiles the JSON Schema file at `url`.
    ///
    /// The schema is checked against its metaschema first (when `checkMetaschema`), so that a
    /// misspelt keyword value is reported with its location rather than silently ignored. Errors
    /// carry `file#/pointer` or `file:line:column` locations.
    public init(contentsOf url: URL, registry: SchemaRegistry = SchemaRegistry(), options: Options = Options(),
                checkMetaschema: Bool = true) throws(SchemaError) {
        let document = try JSONSchemaValidator.readSchemaDocument(url)
        // The 2019-09 metaschema is not bundled: such schemas get the compile checks only.
        let is2019 = document["$schema"]?.stringValue.flatMap(SchemaDraft.known) == .draft2019_09
        if checkMetaschema && !is2019 {
            let check = try JSONSchemaValidator.checkAgainstMetaschema(document, registry: registry, defaultDraft: options.defaultDraft)
            if !check.isValid, let first = check.violations.first(where: { $0.keyword != "anyOf" && $0.keyword != "oneOf" }) ?? check.violations.first {
                throw SchemaError(message: "the schema does not conform to its metaschema: \(first.message) (\(first.keyword))",
                                  location: url.path + "#" + first.instanceLocation)
            }
        }
        try self.init(schema: document, uri: url.absoluteURL.absoluteString, registry: registry, options: options)
    }

    /// Reads and parses a schema file; errors say where the JSON is broken.
    public static func readSchemaDocument(_ url: URL) throws(SchemaError) -> JSONValue {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SchemaError(message: "cannot read the schema file", location: url.path)
        }
        do {
            return try JSONParser.parse([UInt8](data))
        } catch {
            throw SchemaError(message: "the schema is not valid JSON: \(error)", location: url.path)
        }
    }
}
