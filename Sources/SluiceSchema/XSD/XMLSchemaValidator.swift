import CLibXML2
public import Foundation
public import SluiceJSON

/// One XML Schema violation (or XML syntax error) with its position in the document.
public struct XMLSchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line in the XML text; 0 when libxml2 gave none.
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "line \(line): \(message)" }

    public var json: JSONValue {
        .object(JSONObject([("line", .number(JSONNumber(line))), ("column", .number(JSONNumber(column))), ("error", .string(message))]))
    }
}

public struct XMLValidationResult: Sendable {
    public var isValid: Bool
    public var violations: [XMLSchemaViolation]
    /// The text could not be validated at all: not well-formed, or it uses a DTD (refused).
    public var isMalformed: Bool
}

/// An XML Schema (XSD 1.0) compiled once by libxml2, validating XML documents given as text.
///
/// Guarantees: nothing is fetched over the network (XML_PARSE_NONET, and `xs:include`/`xs:import`
/// with a non-file URL are refused at compile time); documents with a DOCTYPE are refused, so no
/// entity is ever expanded and no external entity loaded; libxml2's default size limits stay on.
/// The compiled schema is read-only and shared; each validation uses its own context, so
/// `validate` may be called from several threads.
public final class XMLSchemaValidator: @unchecked Sendable {
    let schemaDocument: xmlDocPtr
    let schema: xmlSchemaPtr
    public let url: URL
    /// At most this many violations are kept per document.
    public let maxViolations: Int

    static let parseOptions = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

    /// Reads and compiles the XSD at `url`.
    public init(contentsOf url: URL, maxViolations: Int = 100) throws(SchemaError) {
        xmlInitParser()
        self.url = url
        self.maxViolations = maxViolations
        let collector = ErrorCollector(limit: 20)
        let box = Unmanaged.passRetained(collector)
        defer { box.release() }
        xmlSetStructuredErrorFunc(box.toOpaque(), xmlErrorCallback)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        guard let doc = xmlReadFile(url.path, nil, XMLSchemaValidator.parseOptions) else {
            throw SchemaError(message: "cannot read XML Schema: \(collector.summary ?? "not well-formed XML")", location: url.path)
        }
        if let remote = XMLSchemaValidator.remoteInclude(in: xmlDocGetRootElement(doc)) {
            xmlFreeDoc(doc)
            throw SchemaError(message: "the schema includes \(remote), which is not a local file; Sluice never fetches schemas over the network",
                              location: url.path)
        }
        guard let parser = xmlSchemaNewDocParserCtxt(doc) else {
            xmlFreeDoc(doc)
            throw SchemaError(message: "cannot create an XML Schema parser", location: url.path)
        }
        xmlSchemaSetParserStructuredErrors(parser, xmlErrorCallback, box.toOpaque())
        let compiled = xmlSchemaParse(parser)
        xmlSchemaFreeParserCtxt(parser)
        guard let compiled else {
            xmlFreeDoc(doc)
            let first = collector.violations.first
            throw SchemaError(message: "invalid XML Schema: \(first?.message ?? "libxml2 refused it")",
                              location: first.map { "\(url.path):\($0.line)" } ?? url.path)
        }
        schemaDocument = doc
        schema = compiled
    }

    deinit {
        xmlSchemaFree(schema)
        xmlFreeDoc(schemaDocument)
    }

    /// Finds an include, import or redefine whose schemaLocation has a scheme other than `file`.
    static func remoteInclude(in node: xmlNodePtr?) -> String? {
        var current = node
        while let n = current {
            if n.pointee.type == XML_ELEMENT_NODE, let name = n.pointee.name {
                let local = String(cString: name)
                if ["include", "import", "redefine", "override"].contains(local),
                   let attr = xmlHasProp(n, "schemaLocation"), let text = attr.pointee.children?.pointee.content {
                    let location = String(cString: text)
                    let uri = URIReference(location)
                    if let scheme = uri.scheme?.lowercased(), scheme != "file" { return location }
                }
                if let found = remoteInclude(in: n.pointee.children) { return found }
            }
            current = n.pointee.next
        }
        return nil
    }

    /// Validates XML text against the schema.
    public func validate(xml bytes: [UInt8]) -> XMLValidationResult {
        let collector = ErrorCollector(limit: maxViolations)
        let box = Unmanaged.passRetained(collector)
        defer { box.release() }
        xmlSetStructuredErrorFunc(box.toOpaque(), xmlErrorCallback)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let parsed: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlReadMemory($0, Int32(clamping: buffer.count), "record.xml", nil, XMLSchemaValidator.parseOptions)
                }
            }
        }
        guard let doc = parsed else {
            let v = collector.violations.isEmpty ? [XMLSchemaViolation(line: 0, column: 0, message: "not well-formed XML")] : collector.violations
            return XMLValidationResult(isValid: false, violations: v, isMalformed: true)
        }
        defer { xmlFreeDoc(doc) }
        if doc.pointee.intSubset != nil || doc.pointee.extSubset != nil {
            return XMLValidationResult(isValid: false, violations: [XMLSchemaViolation(
                line: 1, column: 0, message: "the document declares a DTD (DOCTYPE); DTDs and entities are refused")], isMalformed: true)
        }
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            return XMLValidationResult(isValid: false, violations: [XMLSchemaViolation(line: 0, column: 0, message: "out of memory")], isMalformed: true)
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        xmlSchemaSetValidStructuredErrors(context, xmlErrorCallback, box.toOpaque())
        let rc = xmlSchemaValidateDoc(context, doc)
        if rc == 0 { return XMLValidationResult(isValid: true, violations: [], isMalformed: false) }
        let v = collector.violations.isEmpty ? [XMLSchemaViolation(line: 0, column: 0, message: "the document does not match the schema")] : collector.violations
        return XMLValidationResult(isValid: false, violations: v, isMalformed: false)
    }

    public func validate(xml text: String) -> XMLValidationResult { validate(xml: Array(text.utf8)) }
}

/// Receives libxml2's structured errors for one operation.
final class ErrorCollector {
    let limit: Int
    var violations: [XMLSchemaViolation] = []
    init(limit: Int) { self.limit = limit }
    var summary: String? { violations.first.map { "line \($0.line): \($0.message)" } }
}

private let xmlErrorCallback: xmlStructuredErrorFunc = { userData, error in
    guard let userData, let error else { return }
    let collector = Unmanaged<ErrorCollector>.fromOpaque(userData).takeUnretainedValue()
    guard collector.violations.count < collector.limit, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    var message = error.pointee.message.map { String(cString: $0) } ?? "error"
    while message.hasSuffix("\n") { message.removeLast() }
    collector.violations.append(XMLSchemaViolation(line: Int(error.pointee.line), column: Int(error.pointee.int2), message: message))
}
