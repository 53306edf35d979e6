/// A `format` check: its name, what a valid value is called in messages, and the test. A class,
/// so that compiled keywords hold one reference.
final class FormatChecker: Sendable {
    let name: String
    /// `email address`, `date-time (RFC 3339)`.
    let noun: String
    let test: @Sendable (String) throws(RegexBudgetExceeded) -> Bool

    init(name: String, noun: String, test: @escaping @Sendable (String) throws(RegexBudgetExceeded) -> Bool) {
        self.name = name
        self.noun = noun
        self.test = test
    }

    func check(_ s: String) throws(RegexBudgetExceeded) -> Bool { try test(s) }

    static func named(_ name: String) -> FormatChecker? { all[name] }

    static let all: [String: FormatChecker] = {
        var m: [String: FormatChecker] = [:]
        func add(_ name: String, _ noun: String, _ f: @escaping @Sendable (String) -> Bool) {
            m[name] = FormatChecker(name: name, noun: noun, test: { s throws(RegexBudgetExceeded) in f(s) })
        }
        add("date-time", "date-time (RFC 3339)", Formats.isDateTime)
        add("date", "date (YYYY-MM-DD)", Formats.isDate)
        add("time", "time (RFC 3339)", Formats.isTime)
        add("duration", "duration (ISO 8601)", Formats.isDuration)
        add("email", "email address", { Formats.isEmail($0, international: false) })
        add("idn-email", "internationalized email address", { Formats.isEmail($0, international: true) })
        add("hostname", "hostname", { Formats.isHostname($0, international: false) })
        add("idn-hostname", "internationalized hostname", { Formats.isHostname($0, international: true) })
        add("ipv4", "IPv4 address", Formats.isIPv4)
        add("ipv6", "IPv6 address", Formats.isIPv6)
        add("uri", "URI", { Formats.isURI($0, reference: false, international: false) })
        add("uri-reference", "URI reference", { Formats.isURI($0, reference: true, international: false) })
        add("iri", "IRI", { Formats.isURI($0, reference: false, international: true) })
        add("iri-reference", "IRI reference", { Formats.isURI($0, reference: true, international: true) })
        add("uuid", "UUID", Formats.isUUID)
        add("uri-template", "URI template (RFC 6570)", Formats.isURITemplate)
        add("json-pointer", "JSON Pointer", Formats.isJSONPointer)
        add("relative-json-pointer", "relative JSON Pointer", Formats.isRelativeJSONPointer)
        add("regex", "regular expression (ECMA-262)", { (try? ECMARegex($0)) != nil })
        return m
    }()
}
