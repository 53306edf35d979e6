/// A compact model of one language for judging a decode: its characters beyond ASCII, most
/// frequent first.
///
/// Only characters that can differ between charsets matter (ASCII reads the same in all of
/// them), so a Latin-script profile lists its accented letters and a Cyrillic or CJK profile its
/// commonest letters or characters. The first profiles' orders were written for Sluice from
/// general knowledge of letter frequencies; the Greek, Hebrew, Arabic, Persian, Turkish, Baltic,
/// Thai, Vietnamese, Icelandic, Irish and Macedonian ones are counted from text that Faker
/// generates (`bench/charset/gen_models.py` writes `LanguageModels.swift`), and so are the letter
/// pairs of every language Faker has a locale of (`bigrams`). All are small.
struct LanguageProfile: Sendable {
    enum ID: String, Sendable, CaseIterable {
        case fr, de, es, pt, it, nl, sv, da, fi, ca
        case pl, cs, sk, hu, ro, hr, sl
        case ru, uk, bg, sr
        case ja, zhHans = "zh-Hans", zhHant = "zh-Hant", ko
        // Generated from Faker text (`LanguageModels.swift`), except mt and cy.
        case el, he, ar, fa, tr, lt, lv, et, th, vi, `is`, ga, mk, mt, cy
    }

    enum Script: Sendable { case latin, cyrillic, japanese, chinese, korean, greek, hebrew, arabic, thai }

    let id: ID
    let script: Script
    /// Weight of each listed character (lowercase forms), from 1 for the commonest down to 0.5.
    let weights: [UInt32: Double]
    /// Non-ASCII letters that are words on their own (`à` in French, `è` in Italian); any other
    /// non-ASCII letter standing alone between spaces is suspicious (`Ť` for a misread `«`).
    let singleLetterWords: Set<UInt32>
    /// Letter pairs around its characters beyond ASCII (`oś`, `śr`, `ė ` at a word's end), each
    /// as `first << 32 | second` of lowercase scalars, a space for a word edge; generated from
    /// Faker text. Empty for languages without a Faker locale (their pairs are not judged).
    private(set) var bigrams: Set<UInt64> = []

    init(_ id: ID, _ script: Script, _ chars: String, singles: String = "") {
        self.id = id
        self.script = script
        singleLetterWords = Set(singles.unicodeScalars.map(\.value))
        var w: [UInt32: Double] = [:]
        let list = Array(chars.unicodeScalars.filter { $0.value > 0x20 })
        for (rank, c) in list.enumerated() where w[c.value] == nil {
            w[c.value] = 1.0 - 0.5 * Double(rank) / Double(max(list.count, 1))
        }
        weights = w
    }

    static let all: [ID: LanguageProfile] = {
        var d: [ID: LanguageProfile] = [:]
        for var p in latin + cyrillic + cjk + generated + handWritten {
            let pairs = Array((generatedBigrams[p.id] ?? "").unicodeScalars)
            for i in stride(from: 0, to: pairs.count - 1, by: 2) {
                p.bigrams.insert(UInt64(pairs[i].value) << 32 | UInt64(pairs[i + 1].value))
            }
            d[p.id] = p
        }
        return d
    }()

    private static let latin: [LanguageProfile] = [
        LanguageProfile(.fr, .latin, "éèàêçôîûùïâëœüÿ", singles: "àÀ"),
        LanguageProfile(.de, .latin, "üäößé"),
        LanguageProfile(.es, .latin, "óíáéñúü", singles: "ó"),
        LanguageProfile(.pt, .latin, "ãçéáóêíõúâàô", singles: "àéÀÉ"),
        LanguageProfile(.it, .latin, "àèòùìéó", singles: "èéÈ"),
        LanguageProfile(.nl, .latin, "ëéïöèü"),
        LanguageProfile(.sv, .latin, "äåöé"),
        LanguageProfile(.da, .latin, "øåæé"),
        LanguageProfile(.fi, .latin, "äöå"),
        LanguageProfile(.ca, .latin, "àèéíòóúçïü", singles: "àé"),
        LanguageProfile(.pl, .latin, "ęąóżśłćńź"),
        LanguageProfile(.cs, .latin, "íáéěýčřžšůúťďňó"),
        LanguageProfile(.sk, .latin, "áíéýžščôľťúňäďŕĺó"),
        LanguageProfile(.hu, .latin, "áéőöüóíúű"),
        LanguageProfile(.ro, .latin, "ăâîșțşţ"),
        LanguageProfile(.hr, .latin, "čšžćđ"),
        LanguageProfile(.sl, .latin, "čšž"),
    ]

    /// Languages Faker writes no text of: Maltese (ISO-8859-3) and Welsh (ISO-8859-14).
    private static let handWritten: [LanguageProfile] = [
        LanguageProfile(.mt, .latin, "ħġċżàèìòù"),
        LanguageProfile(.cy, .latin, "ŵŷâêôîûëïáéẁ"),
    ]

    private static let cyrillic: [LanguageProfile] = [
        LanguageProfile(.ru, .cyrillic, "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё"),
        LanguageProfile(.uk, .cyrillic, "оаніивртеськлудмпязбгчшхїжцйьюєщфґ"),
        LanguageProfile(.bg, .cyrillic, "оаеинтрсвлкдпмзяубчгъжшцйщхфьюѝ"),
        LanguageProfile(.sr, .cyrillic, "аоиентсрјвдклупмзгбчшћжцњљхђџф"),
    ]

    private static let kana = "のにはをたがでしてとなるいれもかうらすっこまよりあおくきせそちつねほみめやゆわんけさじだどばびぶべぼぱぴぷぺぽゃゅょえひふへむろアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンーッャュョガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポ"

    private static let cjk: [LanguageProfile] = [
        LanguageProfile(.ja, .japanese, kana + "、。「」日一国会人年大十二本中長出三時行見月後前生五間上東四今金九入学高円子外八六下来気小七山話女北午百書先名川千水半男西電校語土木聞食車何南万毎白天母火右読友左休父雨私者事自分思言方手作業社地性動合実的場用問題同発新定理開関最近全部目明内通元力当度"),
        LanguageProfile(.zhHans, .chinese, "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切，。"),
        LanguageProfile(.zhHant, .chinese, "的一是不了人我在有他這中大來上國個到說們為子和你地出道也時年得就那要下以生會自著去之過家學對可她裡後小麼心多天而能好都然沒日於起還發成事只作當想看文無開手十用主行方又如前所本見經頭面公同三已老從動兩長知民樣現分將外但身些與高意進把法此實回二理美點月明其種聲全工己話兒者向情部正名定女問力機給等幾很業最間新什打便位因重被走電四第門相次東政海口使教西再平真聽世氣信北少關並內加化由卻代軍產入先山五太水萬市眼體別處總才場師書比住員九笑性通目華報立馬命張活難神數件安表原車白應路期叫死常提感金何更反合放做系計或司利受光王果親界及今京務制解各任至清物台象記邊共風戰乾接它許八特覺望直服毛林題建南度統色字請交愛讓認算論百吃義科怎元社術結六功指思非流每青管夫連遠資隊跟帶花快條院變聯言權往展該領傳近留紅治決周保達辦運武半候七必城父強步完革深區即求品士轉量空甚眾技輕程告江語英基派滿式李息寫呢識極令黃德收臉錢黨倒未持取設始版雙歷越史商千片容研像找友孩站廣改議形委早房音火際則首單據導影失拿網香似斯專石若兵弟誰校讀志飛觀爭究包組造落視濟喜離雖壞興切，。"),
        LanguageProfile(.ko, .korean, "이다의는에을하고가지한로기사서도를으리자대수인정어나시아일그있들부만전국보여해제게것요주내상적와장구성소과면동라우결위원말신중조생경문되없할관마거세미개연같회러화비계실분무설공않때은습니까했던음진년서울학교사람우리때문에그런데또한까지부터처럼보다그리고하지만입니다었다였다"),
    ]
}
