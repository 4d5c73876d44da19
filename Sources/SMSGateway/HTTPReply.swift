import Foundation
import SMSCore

/// How an HTTP answer maps to a delivery outcome (SPEC §8).
enum HTTPReply {
    /// 2xx accepted; 429, 503 and other 5xx transient; 401, 403, 404, 405, 407 a misconfigured gateway (token, URL);
    /// other 4xx rejected; anything else transient.
    static func outcome(status: Int, body: [UInt8], retryAfter: Double?) -> DeliveryOutcome {
        switch status {
        case 200..<300:
            return .accepted(gatewayMessageID: messageID(in: body))
        case 429, 503:
            return .transient(reason: "HTTP \(status)", retryAfter: retryAfter)
        case 500..<600:
            return .transient(reason: "HTTP \(status)", retryAfter: nil)
        case 401, 403, 404, 405, 407:
            return .misconfigured(status: status, body: excerpt(body))
        case 400..<500:
            return .rejected(status: status, body: excerpt(body))
        default:
            return .transient(reason: "unexpected HTTP \(status)", retryAfter: nil)
        }
    }

    /// `message_id` of a JSON reply, when there is one.
    static func messageID(in body: [UInt8]) -> String? {
        guard !body.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        switch object["message_id"] {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    /// The start of a reply body, as text, at most 200 characters.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(600), as: UTF8.self)
        return String(text.prefix(200))
    }

    /// `Retry-After` as seconds: a number, or an HTTP date.
    static func retryAfter(_ value: String, now: Date = Date()) -> Double? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(v) { return max(0, seconds) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = f.date(from: v) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// The JSON body of SPEC §8: id, to, text, rule, segments.
    static func body(id: String, to: String, text: String, rule: String, segments: Int) -> String {
        var out = "{\"id\":"
        out += jsonString(id) + ",\"to\":" + jsonString(to) + ",\"text\":" + jsonString(text)
        out += ",\"rule\":" + jsonString(rule) + ",\"segments\":\(segments)}"
        return out
    }

    private static func jsonString(_ s: String) -> String { JSONText.string(s) }
}
