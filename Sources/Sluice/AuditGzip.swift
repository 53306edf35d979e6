import Foundation
import SluiceFormats
public import SluiceStore

/// Audit archives compressed with gzip (zlib), for `sluice audit archive` and `verify --archive`.
public enum AuditGzip {
    public static let codec = AuditArchiveCodec(
        makeWriter: { url in
            let w = try GzipFileWriter(url: url)
            return (write: { try w.write($0) }, finish: { try w.finish() })
        },
        readLines: { url, each in try GzipFileReader.lines(of: url, each) })
}
