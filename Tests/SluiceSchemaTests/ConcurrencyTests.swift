import Foundation
import SluiceJSON
import SluiceTesting
import Testing

@testable import SluiceSchema

/// Stateless stages run on several threads at once: one compiled schema must give the same
/// answers from all of them.
@Suite struct ConcurrencyTests {
    @Test func oneValidatorManyThreads() throws {
        let v = try JSONSchemaValidator(schema: JSONParser.parse(##"""
            {"type": "object", "properties": {"id": {"pattern": "^a-[0-9]+$"}, "email": {"format": "email"}},
             "required": ["id"], "unevaluatedProperties": false, "$defs": {"x": {"$dynamicAnchor": "x"}}}
            """##), options: .init(formatAssertion: true))
        let docs: [JSONValue] = (0..<64).map { i in
            i % 3 == 0 ? ["id": .string("a-\(i)"), "email": "x@example.org"] : ["id": .string("b-\(i)"), "email": "nope", "extra": 1]
        }
        let expected = docs.map { v.validate($0).violations.count }
        let mismatches = LockedBox(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for (i, d) in docs.enumerated() where v.validate(d).violations.count != expected[i] {
                mismatches.withLock { $0 += 1 }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }

    @Test func oneXMLSchemaManyThreads() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let url = try dir.write("n.xsd", """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="n" type="xs:integer"/></xs:schema>
            """)
        let x = try XMLSchemaValidator(contentsOf: url)
        let mismatches = LockedBox(0)
        DispatchQueue.concurrentPerform(iterations: 8) { k in
            for i in 0..<50 {
                let good = (i + k) % 2 == 0
                let r = x.validate(xml: good ? "<n>\(i)</n>" : "<n>x\(i)</n>")
                if r.isValid != good || (!good && r.violations.first?.line != 1) { mismatches.withLock { $0 += 1 } }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}

/// A tiny lock-protected box (Synchronization's Mutex needs a newer deployment target).
final class LockedBox<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func withLock<R>(_ body: (inout T) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
