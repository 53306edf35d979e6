public import SluiceCore
import SluiceJSON

extension MapProgram {
    /// The fields the mapping sets and removes, for `sluice validate`'s check against downstream
    /// schemas. Top-level assignments and `del`s are certain; those inside `if`, and a `del`
    /// inside an expression, are not. An object literal's members are fields set too
    /// (`.author = {"name": …}` sets `/author/name`). A path through an index (`.tags[0]`) sets
    /// the array it goes through. `locate` turns an offset in the mapping into a file location.
    public func fieldEffects(locate: (Int) -> SourceLocation?) -> FieldEffects {
        var effects = FieldEffects()
        withoutActuallyEscaping(locate) { locate in
            FieldEffectScan(locate: locate).statements(statements, certain: true, into: &effects)
        }
        return effects
    }
}

/// One walk over the checked statements; only assignments, `del` and `if` change fields.
private struct FieldEffectScan {
    let locate: (Int) -> SourceLocation?

    func statements(_ list: [Statement], certain: Bool, into effects: inout FieldEffects) {
        for statement in list {
            switch statement {
            case .assign(let target, let value, let at):
                expression(value, certain: certain, into: &effects)
                if case .path(let segments) = target { assign(value, to: segments, at: at, certain: certain, into: &effects) }
            case .expression(let e):
                if case .delete(let segments) = e.kind {
                    remove(segments, certain: certain, into: &effects)
                } else {
                    expression(e, certain: certain, into: &effects)
                }
            }
        }
    }

    /// The `del`s and `if`s inside an expression: whether they run depends on the values, so
    /// what they do is never certain.
    func expression(_ e: Expr, certain: Bool, into effects: inout FieldEffects) {
        switch e.kind {
        case .literal, .path, .variable, .metadata: return
        case .delete(let segments): remove(segments, certain: false, into: &effects)
        case .object(let members): for (_, m) in members { expression(m, certain: false, into: &effects) }
        case .array(let items): for item in items { expression(item, certain: false, into: &effects) }
        case .template(let parts):
            for case .expr(let inner) in parts { expression(inner, certain: false, into: &effects) }
        case .unary(_, let operand): expression(operand, certain: false, into: &effects)
        case .binary(_, let l, let r), .coalesce(let l, let r):
            expression(l, certain: false, into: &effects)
            expression(r, certain: false, into: &effects)
        case .member(let base, _): expression(base, certain: false, into: &effects)
        case .call(let call): for a in call.arguments { expression(a, certain: false, into: &effects) }
        case .ifElse(let condition, let then, let otherwise):
            expression(condition, certain: false, into: &effects)
            statements(then, certain: false, into: &effects)
            statements(otherwise ?? [], certain: false, into: &effects)
        }
    }

    func assign(_ value: Expr, to segments: [PathSegment], at: Int, certain: Bool, into effects: inout FieldEffects) {
        let (pointer, throughIndex) = Self.pointer(segments)
        if pointer.tokens.isEmpty {
            guard !throughIndex else { return }
            // The whole record: a literal says what it holds; anything else (`merge(., …)`) may keep fields.
            guard case .object = value.kind else {
                effects.remove(.root, certain: false)
                return
            }
            effects.remove(.root, certain: certain)
            members(of: value, under: .root, certain: certain, into: &effects)
            return
        }
        let kinds = throughIndex ? JSONKinds.array : Self.kinds(value.type)
        effects.write(FieldWrite(pointer: pointer, kinds: kinds, location: locate(at), certain: certain,
                                 origin: "the assignment to \(pointer)"))
        if !throughIndex { members(of: value, under: pointer, certain: certain, into: &effects) }
    }

    /// The members of an object literal, as fields set below `pointer`.
    func members(of value: Expr, under pointer: JSONPointer, certain: Bool, into effects: inout FieldEffects) {
        guard case .object(let literal) = value.kind else { return }
        for (key, member) in literal {
            let p = pointer.appending(key)
            effects.write(FieldWrite(pointer: p, kinds: Self.kinds(member.type), location: locate(member.at), certain: certain,
                                     origin: "the member '\(key)' set at \(p)"))
            members(of: member, under: p, certain: certain, into: &effects)
        }
    }

    func remove(_ segments: [PathSegment], certain: Bool, into effects: inout FieldEffects) {
        let (pointer, throughIndex) = Self.pointer(segments)
        // Removing an array item leaves the fields known here in place.
        if !throughIndex { effects.remove(pointer, certain: certain) }
    }

    /// The keys before the first index, and whether there was one.
    static func pointer(_ segments: [PathSegment]) -> (JSONPointer, Bool) {
        var tokens: [String] = []
        for segment in segments {
            guard case .key(let k) = segment else { return (JSONPointer(tokens: tokens), true) }
            tokens.append(k)
        }
        return (JSONPointer(tokens: tokens), false)
    }

    /// What the checker knows, in the pipeline's terms; nil when it could be anything.
    static func kinds(_ type: TypeSet) -> JSONKinds? {
        if type == .any { return nil }
        var k: JSONKinds = []
        if type.contains(.null) { k.insert(.null) }
        if type.contains(.bool) { k.insert(.boolean) }
        if !type.isDisjoint(with: .number) { k.insert(.number) }
        if type.contains(.string) { k.insert(.string) }
        if type.contains(.array) { k.insert(.array) }
        if type.contains(.object) { k.insert(.object) }
        return k
    }
}
