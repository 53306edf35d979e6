import SluiceJSON
import Testing

@Suite struct JSONObjectTests {
    func object(_ n: Int, reversed: Bool = false) -> JSONObject {
        let idx = reversed ? Array((0..<n).reversed()) : Array(0..<n)
        return JSONObject(idx.map { ("k\($0)", .number(JSONNumber($0))) })
    }

    @Test(arguments: [0, 1, 8, 9, 40])
    func lookupOrderEqualityAndHashAtEverySize(n: Int) {
        let a = object(n), b = object(n, reversed: true)
        #expect(a.keys == (0..<n).map { "k\($0)" })
        for i in 0..<n { #expect(a["k\(i)"] == .number(JSONNumber(i))) }
        #expect(a["absent"] == nil)
        #expect(a == b, "member order does not matter for equality")
        #expect(a.hashValue == b.hashValue)
        #expect(Array(a.map(\.key)) == a.keys)
    }

    @Test func setKeepsPositionAndRemoveReindexes() {
        var o = object(12)
        o["k3"] = "three"
        #expect(o.keys[3] == "k3")
        #expect(o["k3"] == "three")
        #expect(o.removeValue(forKey: "k0") == .number(JSONNumber(0)))
        #expect(o["k11"] == .number(JSONNumber(11)))
        #expect(o.keys.first == "k1")
        o["k1"] = nil
        #expect(o.count == 10)
        for i in 2..<12 { #expect(o["k\(i)"] != nil) }
        #expect(o != object(12))
    }

    @Test func parserKeepsFirstPositionAndLastValueForRepeatedKeys() throws {
        for n in [2, 12] {
            let keys = (0..<n).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
            let v = try JSONParser.parse("{\(keys), \"k0\": \"last\"}")
            #expect(v.objectValue?.keys.first == "k0")
            #expect(v["k0"] == "last")
            #expect(v.objectValue?.count == n)
        }
    }
}

@Suite struct JSONObjectKeyBytesTests {
    @Test(arguments: [1, 12])
    func namesThatDifferOnlyInNormalisationAreDistinctMembers(padding: Int) throws {
        let pad = (0..<padding).map { "\"p\($0)\": 0, " }.joined()
        let v = try JSONParser.parse("{\(pad)\"caf\u{E9}\": 1, \"cafe\u{301}\": 2}")
        let o = try #require(v.objectValue)
        #expect(o.count == padding + 2)
        #expect(o["caf\u{E9}"] == 1)
        #expect(o["cafe\u{301}"] == 2)
        #expect(try JSONParser.parse(JSONWriter.bytes(v)) == v)
    }
}
