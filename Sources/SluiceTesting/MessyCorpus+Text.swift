import SluiceCore

/// The messy corpus's text: sentences drawn from small word lists of our own, per language, and
/// the corruptions applied to it (mojibake, entities, controls). Nothing here is random except
/// through the generator's `SplitMix64`.
extension MessyCorpus {
    /// Languages and their scripts: Latin (en, de), Cyrillic (ru), Greek (el), CJK (zh, ja, ko), Arabic (ar).
    public static let languages = ["en", "de", "ru", "el", "zh", "ja", "ko", "ar"]

    /// Languages written without spaces between words (shingled by character, as `dedupe` does).
    static func spaceless(_ lang: String) -> Bool { lang == "zh" || lang == "ja" }

    static let words: [String: [String]] = [
        "en": """
            river stone light valley morning harbour market winter garden people build careful quiet signal number \
            window paper engine travel city house water time work bridge forest field sky wind snow bread book school \
            friend letter road sea sun moon mountain cloud rain flower grass tree fish bird horse train ship station \
            evening summer autumn spring kitchen table chair lamp door street village island north south
            """.split(separator: " ").map(String.init),
        "de": """
            über straße grün schön mädchen größe häuser fähre brücke wärme küche mühle bäcker tür führen können \
            müssen später früh öffnen zählen wählen ärger ruhig wald stadt fluss berg wasser licht zeit arbeit \
            schnee brot buch schule freund brief weg meer sonne mond wolke regen blume gras baum fisch vogel \
            pferd zug schiff bahnhof abend sommer herbst frühling tisch stuhl lampe dorf insel süden norden
            """.split(separator: " ").map(String.init),
        "ru": """
            река камень свет долина утро гавань рынок зима сад люди строить тихий сигнал число окно бумага \
            двигатель путь город дом вода время работа мост лес поле небо ветер снег хлеб книга школа друг \
            письмо дорога море солнце луна гора облако дождь цветок трава дерево рыба птица лошадь поезд \
            корабль вокзал вечер лето осень весна кухня стол стул лампа дверь улица деревня остров север юг
            """.split(separator: " ").map(String.init),
        "el": """
            ποτάμι πέτρα φως κοιλάδα πρωί λιμάνι αγορά χειμώνας κήπος άνθρωποι χτίζω ήσυχος σήμα αριθμός \
            παράθυρο χαρτί μηχανή ταξίδι πόλη σπίτι νερό χρόνος δουλειά γέφυρα δάσος χωράφι ουρανός άνεμος \
            χιόνι ψωμί βιβλίο σχολείο φίλος γράμμα δρόμος θάλασσα ήλιος φεγγάρι βουνό σύννεφο βροχή λουλούδι \
            χόρτο δέντρο ψάρι πουλί άλογο τρένο πλοίο σταθμός βράδυ καλοκαίρι φθινόπωρο άνοιξη κουζίνα τραπέζι
            """.split(separator: " ").map(String.init),
        "ar": """
            نهر حجر ضوء وادي صباح ميناء سوق شتاء حديقة ناس بناء هادئ إشارة رقم نافذة ورق محرك سفر مدينة \
            بيت ماء وقت عمل جسر غابة حقل سماء ريح ثلج خبز كتاب مدرسة صديق رسالة طريق بحر شمس قمر جبل \
            سحابة مطر زهرة عشب شجرة سمكة طائر حصان قطار سفينة محطة مساء صيف خريف ربيع مطبخ طاولة كرسي \
            مصباح باب شارع قرية جزيرة شمال جنوب
            """.split(separator: " ").map(String.init),
        // Characters written alike in simplified and traditional Chinese, so GB18030 and Big5 both hold them.
        "zh": "河石光谷港市冬人水工林田天雪山川雨花草木日月海路友家城心手口大小中上下火土金白文字生年子女力目耳足米竹羊牛王玉多少春夏秋星明早朝青方古今"
            .map(String.init),
        // Words of JIS X 0208 (Shift_JIS, EUC-JP, ISO-2022-JP), written without spaces.
        "ja": """
            川 石 光 谷 朝 港 市場 冬 庭 人々 建物 静か 信号 数字 窓 紙 旅 町 家 水 時間 仕事 橋 森 畑 空 風 雪 本 学校 \
            友達 手紙 道 海 太陽 月 山 雲 雨 花 草 木 魚 鳥 馬 電車 船 駅 夕方 夏 秋 春 台所 机 椅子 ひかり みず そら かぜ
            """.split(separator: " ").map(String.init),
        // Hangul words of KS X 1001 (EUC-KR, ISO-2022-KR).
        "ko": """
            강 돌 빛 계곡 아침 항구 시장 겨울 정원 사람 조용한 신호 숫자 창문 종이 여행 도시 집 물 시간 일 다리 숲 들판 \
            하늘 바람 눈 빵 책 학교 친구 편지 길 바다 해 달 산 구름 비 꽃 풀 나무 물고기 새 말 기차 배 역 저녁 여름 가을 봄 부엌 의자
            """.split(separator: " ").map(String.init),
    ]

    /// Legacy charsets each language's files may be written in (iconv names).
    static let legacyCharsets: [String: [String]] = [
        "de": ["WINDOWS-1252", "ISO-8859-15"],
        "ru": ["WINDOWS-1251", "KOI8-R", "IBM866"],
        "el": ["WINDOWS-1253", "ISO-8859-7"],
        "ar": ["WINDOWS-1256"],
        "zh": ["GB18030", "BIG5"],
        "ja": ["SHIFT_JIS", "EUC-JP", "ISO-2022-JP"],
        "ko": ["EUC-KR", "ISO-2022-KR"],
    ]

    static func pick<T>(_ list: [T], _ rng: inout SplitMix64) -> T { list[Int(rng.next() % UInt64(list.count))] }
    static func chance(_ p: Double, _ rng: inout SplitMix64) -> Bool { Double(rng.next() >> 11) / Double(UInt64(1) << 53) < p }
    static func between(_ lo: Int, _ hi: Int, _ rng: inout SplitMix64) -> Int { lo + Int(rng.next() % UInt64(hi - lo + 1)) }

    /// A title of three to six words (eight to fourteen characters in Chinese).
    static func title(lang: String, rng: inout SplitMix64) -> String {
        let list = words[lang]!
        if spaceless(lang) { return (0..<between(8, 14, &rng)).map { _ in pick(list, &rng) }.joined() }
        let t = (0..<between(3, 6, &rng)).map { _ in pick(list, &rng) }.joined(separator: " ")
        return t.prefix(1).uppercased() + t.dropFirst()
    }

    /// Paragraphs of sentences; tokens kept apart so near copies can change single tokens.
    static func paragraphs(lang: String, rng: inout SplitMix64) -> [[String]] {
        let list = words[lang]!
        return (0..<between(2, 4, &rng)).map { _ in
            var tokens: [String] = []
            let sentences = between(3, 6, &rng)
            for _ in 0..<sentences {
                let n = spaceless(lang) ? between(12, 30, &rng) : between(6, 14, &rng)
                for k in 0..<n {
                    var w = pick(list, &rng)
                    if k == 0 && !spaceless(lang) { w = w.prefix(1).uppercased() + w.dropFirst() }
                    if k == n - 1 { w += spaceless(lang) ? "。" : "." }
                    tokens.append(w)
                }
            }
            return tokens
        }
    }

    static func join(_ paragraphs: [[String]], lang: String) -> String {
        paragraphs.map { $0.joined(separator: spaceless(lang) ? "" : " ") }.joined(separator: "\n\n")
    }

    /// The Jaccard similarity of two texts' shingle sets (five tokens; characters in Chinese), lowercased.
    static func jaccard(_ a: [[String]], _ b: [[String]], lang: String) -> Double {
        func shingles(_ p: [[String]]) -> Set<String> {
            let tokens = spaceless(lang) ? p.flatMap { $0.flatMap { $0.map(String.init) } } : p.flatMap { $0 }.map { $0.lowercased() }
            guard tokens.count >= 5 else { return [tokens.joined(separator: " ")] }
            return Set((0...(tokens.count - 5)).map { tokens[$0..<($0 + 5)].joined(separator: " ") })
        }
        let x = shingles(a), y = shingles(b)
        return Double(x.intersection(y).count) / Double(x.union(y).count)
    }

    /// A near copy: single tokens replaced, far enough apart that the copy stays ≥ `minJaccard` similar.
    static func nearCopy(_ p: [[String]], lang: String, minJaccard: Double, rng: inout SplitMix64) -> [[String]] {
        let list = words[lang]!
        for _ in 0..<20 {
            var copy = p
            let total = p.reduce(0) { $0 + $1.count }
            let changes = max(1, total / (spaceless(lang) ? 150 : 100))
            for _ in 0..<changes {
                let i = Int(rng.next() % UInt64(copy.count))
                let j = Int(rng.next() % UInt64(copy[i].count))
                let old = copy[i][j]
                var w = pick(list, &rng)
                if old.hasSuffix(".") || old.hasSuffix("。") { w += String(old.last!) }
                if old.first?.isUppercase == true { w = w.prefix(1).uppercased() + w.dropFirst() }
                copy[i][j] = w
            }
            let j = jaccard(p, copy, lang: lang)
            if copy != p && j >= minJaccard && j < 1 { return copy }
        }
        // A longer text or a different draw always gets there; a short one gets one changed token at its end.
        var copy = p
        copy[copy.count - 1].append(spaceless(lang) ? "新" : "coda")
        return copy
    }

    /// A variant whose shingle Jaccard with `p` lies in `range`: single tokens replaced at random,
    /// as many as the range needs; nil when no draw lands in it.
    static func variant(_ p: [[String]], lang: String, jaccard range: ClosedRange<Double>, rng: inout SplitMix64) -> [[String]]? {
        let list = words[lang]!
        let total = p.reduce(0) { $0 + $1.count }
        let mid = (range.lowerBound + range.upperBound) / 2
        let estimate = max(1, Int((Double(total) * (1 - mid) / (1 + mid) / 5).rounded()))
        for attempt in 0..<40 {
            var copy = p
            let changes = max(1, estimate + attempt % 5 - 2)
            for _ in 0..<changes {
                let i = Int(rng.next() % UInt64(copy.count))
                let j = Int(rng.next() % UInt64(copy[i].count))
                let old = copy[i][j]
                var w = pick(list, &rng)
                if old.hasSuffix(".") || old.hasSuffix("。") { w += String(old.last!) }
                if old.first?.isUppercase == true { w = w.prefix(1).uppercased() + w.dropFirst() }
                copy[i][j] = w
            }
            if range.contains(jaccard(p, copy, lang: lang)) { return copy }
        }
        return nil
    }

    /// `text`'s UTF-8 bytes read as windows-1252 (bytes it leaves undefined as the C1 control of the
    /// same number, as browsers do): one layer of mojibake.
    static func mojibake(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for b in text.utf8 {
            if (0x80...0x9F).contains(b), let mapped = cp1252High[Int(b - 0x80)] {
                out.append(Unicode.Scalar(mapped)!)
            } else {
                out.append(Unicode.Scalar(b))
            }
        }
        return String(out)
    }

    private static let cp1252High: [UInt32?] = [
        0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
        nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178,
    ]

    /// One character of `word` written as an HTML entity (named for Latin letters we know, else numeric).
    static func entity(for scalar: Unicode.Scalar, hex: Bool) -> String {
        let named: [Unicode.Scalar: String] = ["ü": "&uuml;", "ö": "&ouml;", "ä": "&auml;", "ß": "&szlig;", "é": "&eacute;"]
        if !hex, let n = named[scalar] { return n }
        return hex ? "&#x\(String(scalar.value, radix: 16));" : "&#\(scalar.value);"
    }
}
