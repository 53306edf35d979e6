import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path pattern as users write it in `paths:`, expanded by us (never by a shell).
///
/// `*` matches any run of characters within one path segment, `?` one character, `[abc]`,
/// `[a-z]`, `[!a-z]` (or `[^a-z]`) one character of a set, `\` escapes the next character, and a
/// `**` segment matches any number of folders (zero included; a trailing `**` means `**/*`). Wildcards do not match a leading
/// `.` (hidden files and folders) unless the pattern segment starts with `.`, and `**` does not
/// enter hidden folders or follow symlinked folders (no cycles). Results are sorted by path bytes
/// for determinism. Matches are files: folders are walked, except that a folder named like a data
/// file (`x.jsonl/`) is returned so that reading it reports the mistake. A pattern without
/// wildcards is a literal path; a literal folder stands for every file under it (`folder/**/*`).
struct GlobPattern: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case wildcard([Unicode.Scalar])
        case globstar
    }

    let text: String
    let isAbsolute: Bool
    let segments: [Segment]

    init(_ text: String) {
        self.text = text
        isAbsolute = text.hasPrefix("/")
        segments = text.split(separator: "/", omittingEmptySubsequences: true).map { part in
            if part == "**" { return .globstar }
            let scalars = Array(part.unicodeScalars)
            if scalars.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" || $0 == "\\" }) { return .wildcard(scalars) }
            return .literal(String(part))
        }
    }

    /// True when the pattern has wildcards (a pattern without them names one path).
    var hasWildcards: Bool {
        segments.contains { if case .literal = $0 { return false } else { return true } }
    }

    /// Every existing path the pattern matches under `base` (or from `/` when absolute), sorted.
    func expand(base: URL) -> [URL] {
        let root = isAbsolute ? "/" : base.standardizedFileURL.path
        var found = Set<String>()
        if !hasWildcards {
            var path = root
            for case .literal(let name) in segments { path = join(path, name) }
            if isDirectory(path, followLinks: true) {
                GlobPattern("**/*").walk(path, segments: GlobPattern("**/*").segments[...], into: &found)
            } else if exists(path) {
                found.insert(path)
            }
        } else {
            walk(root, segments: segments[...], into: &found)
        }
        return found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { URL(fileURLWithPath: $0).standardizedFileURL }
    }

    private func walk(_ dir: String, segments: ArraySlice<Segment>, into found: inout Set<String>) {
        guard let segment = segments.first else { return }
        let rest = segments.dropFirst()
        switch segment {
        case .literal(let name):
            let path = join(dir, name)
            if rest.isEmpty {
                if exists(path) && yields(path, name: name) { found.insert(path) }
            } else if isDirectory(path, followLinks: true) {
                walk(path, segments: rest, into: &found)
            }
        case .wildcard(let pattern):
            for name in entries(dir) where Self.match(pattern, Array(name.unicodeScalars)) {
                let path = join(dir, name)
                if rest.isEmpty {
                    if yields(path, name: name) { found.insert(path) }
                } else if isDirectory(path, followLinks: true) {
                    walk(path, segments: rest, into: &found)
                }
            }
        case .globstar:
            // A trailing `**` means every file below: `**/*`.
            if rest.isEmpty {
                walk(dir, segments: [.globstar, .wildcard(["*"])], into: &found)
                return
            }
            // Zero folders, then each visible, real (not symlinked) sub-folder with `**` kept.
            walk(dir, segments: rest, into: &found)
            for name in entries(dir) where !name.hasPrefix(".") {
                let path = join(dir, name)
                if isDirectory(path, followLinks: false) { walk(path, segments: segments, into: &found) }
            }
        }
    }

    /// Folders are walked, not read, unless their name looks like a data file (`x.jsonl/`): that
    /// is a mistake worth reporting, and reading it reports it (`unreadable`).
    private func yields(_ path: String, name: String) -> Bool {
        !isDirectory(path, followLinks: true) || FileFormat.detect(fileName: name) != nil
    }

    private func entries(_ dir: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    }

    private func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }

    private func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    private func isDirectory(_ path: String, followLinks: Bool) -> Bool {
        var st = stat()
        let rc = followLinks ? stat(path, &st) : lstat(path, &st)
        return rc == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Matches one path segment against one pattern segment (iterative, with one backtrack point
    /// for the last `*`, so it is linear-ish and never recursive).
    static func match(_ pattern: [Unicode.Scalar], _ name: [Unicode.Scalar]) -> Bool {
        if name.first == ".", pattern.first != "." { return false }
        var p = 0
        var n = 0
        var starP = -1
        var starN = 0
        while n < name.count {
            if p < pattern.count {
                switch pattern[p] {
                case "*":
                    starP = p
                    starN = n
                    p += 1
                    continue
                case "?":
                    p += 1
                    n += 1
                    continue
                case "[":
                    if let (matched, next) = matchClass(pattern, p, name[n]) {
                        if matched {
                            p = next
                            n += 1
                            continue
                        }
                    } else if name[n] == "[" {
                        p += 1
                        n += 1
                        continue
                    }
                case "\\" where p + 1 < pattern.count:
                    if pattern[p + 1] == name[n] {
                        p += 2
                        n += 1
                        continue
                    }
                default:
                    if pattern[p] == name[n] {
                        p += 1
                        n += 1
                        continue
                    }
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starN += 1
            n = starN
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// Matches `c` against the class starting at `pattern[start] == "["`. Nil when the class is
    /// not closed (then `[` is literal).
    private static func matchClass(_ pattern: [Unicode.Scalar], _ start: Int, _ c: Unicode.Scalar) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < pattern.count, pattern[i] == "!" || pattern[i] == "^" {
            negate = true
            i += 1
        }
        var matched = false
        var first = true
        while i < pattern.count {
            if pattern[i] == "]" && !first { return (matched != negate, i + 1) }
            first = false
            var lo = pattern[i]
            if lo == "\\", i + 1 < pattern.count {
                i += 1
                lo = pattern[i]
            }
            if i + 2 < pattern.count, pattern[i + 1] == "-", pattern[i + 2] != "]" {
                let hi = pattern[i + 2]
                if lo.value <= c.value && c.value <= hi.value { matched = true }
                i += 3
            } else {
                if lo == c { matched = true }
                i += 1
            }
        }
        return nil
    }
}
