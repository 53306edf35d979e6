/// The official metaschemas, embedded so that `$schema` references and `sluice schema check`
/// work without files or network. Each is kept as its original JSON text (see the license notice
/// in each file) and parsed when first needed.
enum EmbeddedMetaschemas {
    /// The JSON text registered for `uri` (no fragment), or nil.
    static func text(for uri: String) -> String? {
        switch uri {
        case "https://json-schema.org/draft/2020-12/schema": return draft202012Schema
        case "http://json-schema.org/draft-07/schema": return draft7Schema
        case "https://json-schema.org/draft/2020-12/meta/core": return draft202012Core
        case "https://json-schema.org/draft/2020-12/meta/applicator": return draft202012Applicator
        case "https://json-schema.org/draft/2020-12/meta/unevaluated": return draft202012Unevaluated
        case "https://json-schema.org/draft/2020-12/meta/validation": return draft202012Validation
        case "https://json-schema.org/draft/2020-12/meta/meta-data": return draft202012MetaData
        case "https://json-schema.org/draft/2020-12/meta/format-annotation": return draft202012FormatAnnotation
        case "https://json-schema.org/draft/2020-12/meta/format-assertion": return draft202012FormatAssertion
        case "https://json-schema.org/draft/2020-12/meta/content": return draft202012Content
        default: return nil
        }
    }
}
