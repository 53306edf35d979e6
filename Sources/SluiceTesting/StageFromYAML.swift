public import SluiceCore
public import SluiceJSON
import Foundation

/// Records for tests, with provenance filled in.
public enum TestRecords {
    public static func make(_ values: [JSONValue], input: String = "test") -> [Record] {
        values.enumerated().map { i, v in
            Record(id: v["id"]?.stringValue ?? "\(input)#\(i)", value: v,
                   provenance: Provenance(input: input, uri: "memory:\(input)", locator: Locator(index: i),
                                          sha256: ContentHash.sha256Hex(JSONWriter.bytes(v))))
        }
    }
}
