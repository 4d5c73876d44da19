/// What an operator notice must never contain: its own signature brackets or a link.
public enum TextPolicy {
    static let linkMarkers = ["http://", "https://", "www.", "://"]
    static let domainEndings = [".com", ".cn", ".net", ".org", ".top", ".xyz", ".cc", ".io", ".me"]

    /// A short description of the first forbidden thing in `text`, or `nil`.
    public static func problem(in text: String) -> String? {
        if text.contains("【") || text.contains("】") {
            return "signature brackets 【】 (the signature is added once, outside the template)"
        }
        if let link = link(in: text) {
            return "a link (\(link)); operator notices never carry links"
        }
        return nil
    }

    /// The first thing in `text` that reads as a link, or `nil`.
    public static func link(in text: String) -> String? {
        let lower = text.lowercased()
        if let marker = linkMarkers.first(where: { lower.contains($0) }) { return marker }
        for ending in domainEndings {
            var search = lower[...]
            while let r = search.firstRange(of: ending) {
                let before = search[..<r.lowerBound].last
                let after = search[r.upperBound...].first
                let asciiWordBefore = before.map { $0.isASCII && ($0.isLetter || $0.isNumber) } ?? false
                let endsWord = after.map { !($0.isASCII && $0.isLetter) } ?? true
                if asciiWordBefore && endsWord { return ending }
                search = search[r.upperBound...]
            }
        }
        return nil
    }
}
