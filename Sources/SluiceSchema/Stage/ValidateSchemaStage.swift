import Foundation
public import SluiceCore
import SluiceJSON

/// The `validate_schema` stage: checks each record (or one field of it) against a JSON Schema
/// (draft 2020-12 or 7) or an XML Schema, compiled once when the pipeline is built.
public struct ValidateSchemaStage: StatelessStage {
    public static let descriptor = ComponentDescriptor(
        kind: .stage, name: "validate_schema",
        summary: "Checks records against a JSON Schema (draft 2020-12 or 7) or an XML Schema (XSD).",
        description: """
            The schema is read, checked against its metaschema and compiled once, when the pipeline \
            is built; a schema that is not valid is a configuration error pointing at `schema`. \
            References resolve within the schema file, to schemas in folders mapped with `remotes`, \
            and to the official metaschemas, never over the network.

            A record that does not match is handled by `on_invalid`: `quarantine` (reason \
            `schema_violation`, with every violation's instance location, keyword location and \
            message in the entry's details), `drop`, `fail` (the run stops with a data error) or \
            `annotate` (the record passes with a `_schema_errors` list). A record that passes gets a \
            `validated` audit event naming the schema. A check that would take \
            unbounded work (a pathological `pattern`) is stopped and the record quarantined with \
            `schema_check_aborted`. Quarantine details never quote record content.

            When the pipeline is loaded, a field that an earlier `map` or `rename_fields` sets and \
            this JSON Schema refuses (not allowed by `additionalProperties: false`, or of a type the \
            schema excludes) is reported at the place that sets it (`field_refused`): an error when \
            every record reaching this stage gets the field, a warning when only some may \
            (docs/mapping.md, "Checked against the schema").

            A schema file ending in `.xsd` is an XML Schema: `field` then names the field holding \
            the XML text, which is parsed without network access, DTDs or entity expansion; \
            violations carry line numbers. Stateless: runs on all cores.
            """,
        fields: [
            FieldSpec("schema", .path(mustExist: true), doc: "The JSON Schema (`.json`) or XML Schema (`.xsd`) file, relative to the pipeline.",
                      required: true, example: "schemas/article.schema.json"),
            FieldSpec("draft", .oneOf(["2020-12", "7"]), doc: "The JSON Schema draft for a schema without `$schema`.", default: "2020-12"),
            FieldSpec("format_assertion", .boolean, doc: "Whether `format` (email, date-time, uri...) is checked, not just noted.",
                      default: "true"),
            FieldSpec("remotes", .list(.string), doc: "Folders of schemas that `$ref` may use, as `DIR=BASEURL`: a reference to "
                      + "`BASEURL/x.json` reads `DIR/x.json`.", default: "[]", example: "[\"schemas/common=https://example.com/schemas/\"]"),
            FieldSpec("on_invalid", .oneOf(["quarantine", "drop", "fail", "annotate"]), doc: "What happens to a record that does not match.",
                      default: "quarantine"),
            FieldSpec("field", .pointer, doc: "The part of the record to validate (JSON Pointer); the whole record when unset. "
                      + "For an XSD: the field holding the XML text (required).", example: "/payload"),
        ],
        examples: [
            """
            - type: validate_schema
              schema: schemas/article.schema.json
              on_invalid: quarantine
            """,
            """
            - type: validate_schema
              schema: schemas/order.xsd
              field: /xml
            """,
        ])

    public enum OnInvalid: String, Sendable { case quarantine, drop, fail, annotate }

    enum Engine: Sendable {
        case json(JSONSchemaValidator)
        case xml(XMLSchemaValidator)
    }

    let engine: Engine
    let onInvalid: OnInvalid
    let field: JSONPointer
    let stageName: String
    /// The `validated` audit note every record that passes carries: which schema it matched.
    let validatedNote: StageNote

    public init(options: ComponentOptions, context: BuildContext) throws {
        let path = try options.requiredString("schema")
        let url = context.resolve(path)
        stageName = context.instanceName
        let onInvalidText = try options.string("on_invalid") ?? "quarantine"
        guard let mode = OnInvalid(rawValue: onInvalidText) else {
            throw ConfigDiagnostic.error("invalid_value", "on_invalid must be quarantine, drop, fail or annotate", at: options.location("on_invalid"))
        }
        onInvalid = mode
        let pointer = try options.pointer("field")
        field = pointer ?? .root
        validatedNote = StageNote(.validated, details: ["schema": .string(path), "field": .string(field.description)])
        func diagnostic(_ error: SchemaError) -> ConfigDiagnostic {
            .error("invalid_schema", "schema \(path): \(error.message)" + (error.location.isEmpty ? "" : " (at \(error.location))"),
                   at: options.location("schema"))
        }
        if url.pathExtension.lowercased() == "xsd" {
            guard pointer != nil else {
                throw ConfigDiagnostic.error("missing_option", "an XML Schema validates XML text: set 'field' to the pointer of the field holding it",
                                             at: options.node, path: options.node.path + "/field")
            }
            do { engine = .xml(try XMLSchemaValidator(contentsOf: url)) } catch { throw diagnostic(error) }
            return
        }
        var draft = SchemaDraft.draft2020_12
        if let d = try options.string("draft") {
            guard let parsed = SchemaDraft(name: d) else {
                throw ConfigDiagnostic.error("invalid_value", "draft must be 2020-12 or 7", at: options.location("draft"))
            }
            draft = parsed
        }
        var registry = SchemaRegistry()
        for mapping in try options.strings("remotes") ?? [] {
            do { try registry.registerMapping(mapping, relativeTo: context.baseDirectory) } catch {
                throw ConfigDiagnostic.error("invalid_value", error.message, at: options.location("remotes"))
            }
        }
        let validatorOptions = JSONSchemaValidator.Options(defaultDraft: draft, formatAssertion: try options.bool("format_assertion") ?? true)
        do { engine = .json(try JSONSchemaValidator(contentsOf: url, registry: registry, options: validatorOptions)) } catch {
            throw diagnostic(error)
        }
    }

    public func process(_ record: Record) throws -> StageOutcome {
        guard let target = field.get(in: record.value) else {
            let v = Violation(pointer: field.description, keyword: "field", message: "the field \(field) to validate is missing", detail: .null)
            return try outcome(record, code: .schemaViolation, violations: [v])
        }
        switch engine {
        case .json(let validator):
            let result = validator.validate(target)
            if result.isValid { return .pass(record, notes: [validatedNote]) }
            if let aborted = result.aborted {
                let failure = RecordFailure(code: .schemaCheckAborted, message: "schema check aborted at \(prefixed(aborted.instanceLocation)): \(aborted.reason)",
                                            recordID: record.id, provenance: record.provenance, pointer: prefixed(aborted.instanceLocation),
                                            stage: stageName)
                if onInvalid == .fail { throw SluiceError(.dataError, "record \(record.id): \(failure.message)") }
                return .quarantine(failure)
            }
            let violations = result.violations.map { v in
                Violation(pointer: prefixed(v.instanceLocation), keyword: v.keyword, message: v.redactedMessage, detail: .object(JSONObject([
                    ("instanceLocation", .string(prefixed(v.instanceLocation))),
                    ("keywordLocation", .string(v.keywordLocation)),
                    ("absoluteKeywordLocation", .string(v.absoluteKeywordLocation)),
                    ("keyword", .string(v.keyword)),
                    ("error", .string(onInvalid == .annotate ? v.message : v.redactedMessage)),
                ])))
            }
            return try outcome(record, code: .schemaViolation, violations: violations)
        case .xml(let validator):
            guard case .string(let xml) = target else {
                let v = Violation(pointer: field.description, keyword: "field", message: "the field \(field) must hold XML text, not \(target.typeName)", detail: .null)
                return try outcome(record, code: .wrongType, violations: [v])
            }
            let result = validator.validate(xml: xml)
            if result.isValid { return .pass(record, notes: [validatedNote]) }
            let violations = result.violations.map {
                Violation(pointer: field.description, keyword: "xsd", message: "line \($0.line): \($0.message)", detail: $0.json)
            }
            let forbidden = result.violations.contains { $0.message.contains("DTD") }
            return try outcome(record, code: result.isMalformed ? (forbidden ? .forbiddenXML : .malformed) : .schemaViolation, violations: violations)
        }
    }

    struct Violation {
        var pointer: String
        var keyword: String
        var message: String
        var detail: JSONValue
    }

    func prefixed(_ instanceLocation: String) -> String { field.description + instanceLocation }

    func outcome(_ record: Record, code: RecordFailure.Code, violations: [Violation]) throws -> StageOutcome {
        let first = violations.first
        let summary = (first.map { "\($0.pointer.isEmpty ? "/" : $0.pointer): \($0.message) (\($0.keyword))" } ?? "schema violation")
        let message = violations.count == 1 ? summary : "\(violations.count) schema violations; first: \(summary)"
        let details: JSONValue = .object(JSONObject([("violations", .array(violations.map { $0.detail.isNull ? .string($0.message) : $0.detail }))]))
        switch onInvalid {
        case .quarantine:
            return .quarantine(RecordFailure(code: code, message: message, recordID: record.id, provenance: record.provenance,
                                             pointer: first?.pointer, stage: stageName, details: details))
        case .drop:
            return .drop(record, DropReason(code: code.rawValue, details: details))
        case .fail:
            throw SluiceError(.dataError, "record \(record.id) does not match the schema: \(message)")
        case .annotate:
            var annotated = record
            if case .object(var o) = annotated.value {
                o["_schema_errors"] = details["violations"] ?? .array([])
                annotated.value = .object(o)
            }
            return .pass(annotated, notes: [StageNote(.schemaViolation, details: details)])
        }
    }
}
