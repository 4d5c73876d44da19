import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `scripts/cmpp-sim.py` on a loopback port, stopped at the end of the test.
final class CMPPSimulator {
    let server: LoopbackServer
    let recordPath: String
    static let spID = "901234"
    static let secret = "s3cret-cmpp"

    init(arguments: [String], recordPath: String) throws {
        self.recordPath = recordPath
        server = try LoopbackServer(
            script: "cmpp-sim.py",
            arguments: [
                "--record", recordPath, "--sp-id", Self.spID, "--secret", Self.secret, "--service-id", "SVC", "--src-id", "10658888",
            ] + arguments)
    }

    var port: Int { server.port }

    /// The gateway URL, with more settings after `&`.
    func url(_ more: String = "") -> String {
        "cmpp://\(Self.spID)@127.0.0.1:\(port)?service_id=SVC&src_id=10658888" + (more.isEmpty ? "" : "&" + more)
    }

    static let environment = ["SMSBATCH_CMPP_SECRET": secret]

    func stop() { server.stop() }

    /// What the centre saw, once `ready` holds for it (or after 10 s: the caller's expectations then fail).
    func record(until ready: ([String: Any]) -> Bool = { _ in true }) -> [String: Any] {
        let deadline = Date().addingTimeInterval(10)
        var last: [String: Any] = [:]
        repeat {
            if let data = FileManager.default.contents(atPath: recordPath),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            {
                last = object
                if ready(object) { return object }
            }
            usleep(50_000)
        } while Date() < deadline
        return last
    }

    /// The messages the centre reassembled: number, text, segments, copies, Msg_Ids.
    static func messages(_ record: [String: Any]) -> [[String: Any]] { record["messages"] as? [[String: Any]] ?? [] }

    static func int(_ record: [String: Any], _ key: String) -> Int { record[key] as? Int ?? -1 }
}
