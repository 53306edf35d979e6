enum SchemaBench {
    struct NotWritten: Error {}
    static func run(_ args: [String]) throws { throw NotWritten() }
}
