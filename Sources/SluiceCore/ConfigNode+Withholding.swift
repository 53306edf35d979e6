import Foundation

extension ConfigNode {
    /// This node without the mapping entries and list items at `paths` (JSON Pointers from the
    /// document root, as in `ConfigDiagnostic.path`), at any depth.
    ///
    /// The loader builds a component from the options that passed the linter, so that the
    /// component's own checks (cross-field rules, preflight) still run on them in the same pass:
    /// an option that was reported is left out and its default takes its place.
    public func withholding(_ paths: Set<String>) -> ConfigNode {
        guard !paths.isEmpty else { return self }
        var copy = self
        switch kind {
        case .mapping(let entries):
            copy.kind = .mapping(entries.compactMap { entry in
                if paths.contains(entry.value.path) { return nil }
                var kept = entry
                kept.value = entry.value.withholding(paths)
                return kept
            })
        case .sequence(let items):
            copy.kind = .sequence(items.filter { !paths.contains($0.path) }.map { $0.withholding(paths) })
        case .null, .scalar:
            break
        }
        return copy
    }
}

extension ConfigDiagnostic {
    /// Whether this diagnostic may rest on one of the options at `paths` having been left out
    /// (and replaced by its default): it points at, inside or above one of them (`fields` when
    /// its item `fields/0` was left out), or its message names one of them (`overlap must be
    /// smaller than max_size` when `max_size` was left out).
    public func restsOn(withheld paths: Set<String>) -> Bool {
        for p in paths {
            if path == p || path.hasPrefix(p + "/") || p.hasPrefix(path + "/") { return true }
            guard let name = p.split(separator: "/").last(where: { Int($0) == nil }).map(String.init) else { continue }
            if message.containsOptionName(name) { return true }
        }
        return false
    }

    /// `diagnostics` with repeats left out: a second error with the same code at the same place
    /// (the linter and a component's getter both reporting one wrong value) is the same error.
    public static func unique(_ diagnostics: [ConfigDiagnostic]) -> [ConfigDiagnostic] {
        struct Key: Hashable { var severity: Severity, code: String, location: SourceLocation?, path: String, message: String? }
        var seen = Set<Key>()
        return diagnostics.filter { d in
            // Without a location, only the exact same message is a repeat.
            let key = Key(severity: d.severity, code: d.code, location: d.location, path: d.path,
                          message: d.location == nil ? d.message : nil)
            return seen.insert(key).inserted
        }
    }
}

extension String {
    /// Whether `name` occurs as a whole option name (not inside `max_size_bytes` or `min_size`).
    func containsOptionName(_ name: String) -> Bool {
        func isNamePart(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        var searchStart = startIndex
        while let r = range(of: name, range: searchStart..<endIndex) {
            let before = r.lowerBound == startIndex ? nil : self[index(before: r.lowerBound)]
            let after = r.upperBound == endIndex ? nil : self[r.upperBound]
            if !(before.map(isNamePart) ?? false) && !(after.map(isNamePart) ?? false) { return true }
            searchStart = r.upperBound
        }
        return false
    }
}
