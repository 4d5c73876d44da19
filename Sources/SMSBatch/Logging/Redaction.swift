import Foundation

/// Masks mainland mobile numbers in free text: any run of 11 digits `1[3-9]…` (after an optional `+86`/`86`)
/// becomes `138****8000`. A safety net under the log handlers: callers mask numbers themselves as well.
public enum Redaction {
    public static func maskNumbers(in text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 11 else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let isDigit = bytes[i] >= 48 && bytes[i] <= 57
            if isDigit && (i == 0 || !(bytes[i - 1] >= 48 && bytes[i - 1] <= 57)) {
                var j = i
                while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57 { j += 1 }
                var run = Array(bytes[i..<j])
                var prefix: [UInt8] = []
                if run.count == 13, run[0] == 56, run[1] == 54 { prefix = [56, 54]; run.removeFirst(2) }
                if run.count == 11, run[0] == 49, run[1] >= 51 {
                    out += prefix + run[0..<3] + Array("****".utf8) + run[7..<11]
                } else {
                    out += bytes[i..<j]
                }
                i = j
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Text from outside (a gateway's reply, an operator's note) made safe for a terminal: numbers masked, control
    /// characters and bidi overrides shown as `\u{…}` instead of being obeyed (an escape sequence could clear the
    /// screen or retitle the window).
    public static func forTerminal(_ text: String) -> String {
        var out = ""
        for scalar in maskNumbers(in: text).unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                out += "\\u{" + String(v, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A gateway target fit for `config` and logs: no password in a URL's user part, no token in its query (a CMPP
    /// secret lives in the environment only, but a URL that carries one anyway is masked too).
    public static func gateway(_ target: String) -> String {
        guard target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("cmpp://"), var parts = URLComponents(string: target)
        else { return target }
        if parts.password != nil { parts.password = "***" }
        parts.queryItems = parts.queryItems?.map { item in
            let secret = ["token", "key", "secret", "password", "pass", "apikey", "api_key", "access_token", "sig", "signature"]
            return secret.contains(item.name.lowercased()) ? URLQueryItem(name: item.name, value: "***") : item
        }
        return parts.string ?? target
    }
}
