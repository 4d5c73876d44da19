import SMSGateway
import SMSLedger

/// Keeps in the ledger the status reports a gateway receives over its link (CMPP), as they come, and counts them
/// for the run's log. A report the ledger could not keep is not acknowledged: the centre pushes it again later.
final class StatusReports {
    let ledger: any Ledger
    let gateway: any ReportingGateway
    let timestamp: String
    /// Messages whose delivery status the reports set or changed.
    private(set) var changed = 0
    /// Reports whose segment id names no message sent in segments (sent by another system, or long forgotten).
    private(set) var unknown = 0
    private(set) var failure: LedgerError?

    init(ledger: any Ledger, gateway: any ReportingGateway, timestamp: String) {
        self.ledger = ledger
        self.gateway = gateway
        self.timestamp = timestamp
        gateway.reportSink = { [unowned self] reports in self.keep(reports) }
    }

    private func keep(_ reports: [SegmentReport]) -> Bool {
        let receipts = reports.map { Receipt(id: $0.segmentID, delivered: $0.delivered, code: $0.code, at: timestamp) }
        do {
            let outcome = try ledger.applySegmentReports(receipts, timestamp: timestamp)
            changed += outcome.applied
            unknown += outcome.unknownIDs.count
            return true
        } catch {
            failure = error
            return false
        }
    }

    /// One line on what came back over the link, when anything did.
    func logSummary(_ log: Log) {
        let t = gateway.traffic
        if t.reports > 0 || t.mobileOriginated > 0 || t.flowControlled > 0 || t.reconnects > 0 {
            var parts = ["\(t.reports) status reports kept (\(changed) messages' delivery status set)"]
            if unknown > 0 { parts.append("\(unknown) naming no message sent in segments") }
            parts.append("\(t.mobileOriginated) mobile-originated messages answered (counted only)")
            if t.flowControlled > 0 { parts.append("\(t.flowControlled) SUBMITs retried after flow control") }
            if t.reconnects > 0 { parts.append("the link dropped \(t.reconnects) times and was connected again") }
            log.info("CMPP: " + parts.joined(separator: "; "))
        }
        if let failure {
            log.warning("status reports could not be kept (\(failure.message)); they were not acknowledged, so the centre sends them again")
        }
    }
}
