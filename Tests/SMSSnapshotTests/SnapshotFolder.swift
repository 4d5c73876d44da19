import Foundation

/// A temporary snapshot folder written by a test, removed when the test is done with it.
struct SnapshotFolder {
    let path: String

    static let subscribersHeader = "msisdn,brand,status,join_date,avg_monthly_spend,suspensions,dnd"
    static let subscriptionsHeader = "msisdn,service_code,service_name,monthly_fee,status,trial_end,after_trial"
    static let pointsHeader = "msisdn,balance,expiring,clearing_date"

    /// Writes the given files (name → bytes); files not given get a header-only default.
    init(_ files: [String: [UInt8]]) throws {
        path = NSTemporaryDirectory() + "smsbatch-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var all = files
        if all["subscribers.csv"] == nil { all["subscribers.csv"] = Array((Self.subscribersHeader + "\n").utf8) }
        if all["subscriptions.csv"] == nil { all["subscriptions.csv"] = Array((Self.subscriptionsHeader + "\n").utf8) }
        if all["points.csv"] == nil { all["points.csv"] = Array((Self.pointsHeader + "\n").utf8) }
        for (name, bytes) in all {
            try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + name))
        }
    }

    init(text files: [String: String]) throws {
        try self.init(files.mapValues { Array($0.utf8) })
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
