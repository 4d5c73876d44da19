extension RenderedMessage {
    /// The JSON Lines record of SPEC §6 (without the line break): id, msisdn, rule, keys, text, segments,
    /// units, stars, then brand and template.
    public var jsonRecord: String {
        var out = "{\"id\":"
        JSONText.appendString(id, to: &out)
        out += ",\"msisdn\":"
        JSONText.appendString(msisdn, to: &out)
        out += ",\"rule\":"
        JSONText.appendString(rule.rawValue, to: &out)
        out += ",\"keys\":["
        for (i, key) in keys.enumerated() {
            if i > 0 { out += "," }
            JSONText.appendString(key, to: &out)
        }
        out += "],\"text\":"
        JSONText.appendString(text, to: &out)
        out += ",\"segments\":\(segments),\"units\":\(units),\"stars\":\(stars),\"brand\":"
        JSONText.appendString(brand.rawValue, to: &out)
        out += ",\"template\":"
        JSONText.appendString(template, to: &out)
        out += "}"
        return out
    }
}

/// Minimal JSON text writing, with non-ASCII text kept as is (readable Chinese in the output).
public enum JSONText {
    public static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    public static func string(_ s: String) -> String {
        var out = ""
        appendString(s, to: &out)
        return out
    }
}
