/// The operator's customer brands.
public enum Brand: String, CaseIterable, Sendable, Comparable {
    case gotone
    case mzone
    case easyown

    /// Accepts the code (`gotone`, any case) or the Chinese name (`全球通`).
    public init?(field: some StringProtocol) {
        let text = String(field)
        if let brand = Brand(rawValue: text.lowercased()) {
            self = brand
        } else if let brand = Brand.allCases.first(where: { $0.chineseName == text }) {
            self = brand
        } else {
            return nil
        }
    }

    /// 全球通, 动感地带, 神州行.
    public var chineseName: String {
        switch self {
        case .gotone: "全球通"
        case .mzone: "动感地带"
        case .easyown: "神州行"
        }
    }

    /// Brand points in the star score (SPEC §2).
    public var starPoints: Int {
        switch self {
        case .gotone: 50
        case .mzone: 30
        case .easyown: 20
        }
    }

    public static func < (a: Brand, b: Brand) -> Bool { a.rawValue < b.rawValue }
}
