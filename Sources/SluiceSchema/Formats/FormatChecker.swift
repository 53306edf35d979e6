import SluiceRegex
/// A `format` check: its name, what a valid value is called in messages, and the test. A class,
/// so that compiled keywords hold one reference.
final class FormatChecker: Sendable {
    let name: String
    /// `email address`, `date-time (RFC 3339)`.
    let noun: String
    let kind: Kind

    enum Kind: Sendable {
        case dateTime, date, time, duration, email, idnEmail, hostname, idnHostname, ipv4, ipv6
        case uri, uriReference, iri, iriReference, uuid, uriTemplate, jsonPointer, relativeJSONPointer, regex
    }

    init(name: String, noun: String, kind: Kind) {
        self.name = name
        self.noun = noun
        self.kind = kind
    }

    /// A direct switch rather than a stored closure: no context to retain per check.
    func check(_ s: String) throws(RegexBudgetExceeded) -> Bool {
        switch kind {
        case .dateTime: return Formats.isDateTime(s)
        case .date: return Formats.isDate(s)
        case .time: return Formats.isTime(s)
        case .duration: return Formats.isDuration(s)
        case .email: return Formats.isEmail(s, international: false)
        case .idnEmail: return Formats.isEmail(s, international: true)
        case .hostname: return Formats.isHostname(s, international: false)
        case .idnHostname: return Formats.isHostname(s, international: true)
        case .ipv4: return Formats.isIPv4(s)
        case .ipv6: return Formats.isIPv6(s)
        case .uri: return Formats.isURI(s, reference: false, international: false)
        case .uriReference: return Formats.isURI(s, reference: true, international: false)
        case .iri: return Formats.isURI(s, reference: false, international: true)
        case .iriReference: return Formats.isURI(s, reference: true, international: true)
        case .uuid: return Formats.isUUID(s)
        case .uriTemplate: return Formats.isURITemplate(s)
        case .jsonPointer: return Formats.isJSONPointer(s)
        case .relativeJSONPointer: return Formats.isRelativeJSONPointer(s)
        case .regex: return (try? ECMARegex(s, automaton: false)) != nil
        }
    }

    static func named(_ name: String) -> FormatChecker? { all[name] }

    static let all: [String: FormatChecker] = {
        var m: [String: FormatChecker] = [:]
        func add(_ name: String, _ noun: String, _ kind: Kind) { m[name] = FormatChecker(name: name, noun: noun, kind: kind) }
        add("date-time", "date-time (RFC 3339)", .dateTime)
        add("date", "date (YYYY-MM-DD)", .date)
        add("time", "time (RFC 3339)", .time)
        add("duration", "duration (ISO 8601)", .duration)
        add("email", "email address", .email)
        add("idn-email", "internationalized email address", .idnEmail)
        add("hostname", "hostname", .hostname)
        add("idn-hostname", "internationalized hostname", .idnHostname)
        add("ipv4", "IPv4 address", .ipv4)
        add("ipv6", "IPv6 address", .ipv6)
        add("uri", "URI", .uri)
        add("uri-reference", "URI reference", .uriReference)
        add("iri", "IRI", .iri)
        add("iri-reference", "IRI reference", .iriReference)
        add("uuid", "UUID", .uuid)
        add("uri-template", "URI template (RFC 6570)", .uriTemplate)
        add("json-pointer", "JSON Pointer", .jsonPointer)
        add("relative-json-pointer", "relative JSON Pointer", .relativeJSONPointer)
        add("regex", "regular expression (ECMA-262)", .regex)
        return m
    }()
}
