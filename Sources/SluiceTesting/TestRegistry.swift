public import SluiceCore

extension ComponentRegistry {
    /// `base` plus the test components (the `memory` input).
    public static func withTestComponents(_ base: [ComponentRegistry.Entry]) throws -> ComponentRegistry {
        try ComponentRegistry(base + [.input(MemoryInput.self)])
    }
}
