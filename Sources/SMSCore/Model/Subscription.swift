/// One row of `subscriptions.csv`: a value-added service (VAS) a subscriber has.
public struct Subscription: Sendable, Hashable {
    public enum Status: String, Sendable, CaseIterable { case active, cancelled }
    /// What happens when the free trial ends.
    public enum AfterTrial: String, Sendable, CaseIterable {
        /// Becomes paid unless the user cancels.
        case renew
        /// Stops unless the user confirms.
        case lapse
    }

    public var msisdn: String
    public var serviceCode: String
    public var serviceName: String
    public var monthlyFee: Money
    public var status: Status
    /// The last free day; charging starts the next day. `nil` when there is no trial.
    public var trialEnd: CalendarDate?
    public var afterTrial: AfterTrial?

    public init(
        msisdn: String, serviceCode: String, serviceName: String, monthlyFee: Money,
        status: Status, trialEnd: CalendarDate? = nil, afterTrial: AfterTrial? = nil
    ) {
        self.msisdn = msisdn
        self.serviceCode = serviceCode
        self.serviceName = serviceName
        self.monthlyFee = monthlyFee
        self.status = status
        self.trialEnd = trialEnd
        self.afterTrial = afterTrial
    }

    /// In trial on `date` while `trialEnd` ≥ `date` (SPEC §3.2).
    public func isInTrial(on date: CalendarDate) -> Bool {
        guard let trialEnd else { return false }
        return trialEnd >= date
    }
}

/// One row of `usage.csv`.
public struct UsageRecord: Sendable, Hashable {
    public var msisdn: String
    public var serviceCode: String
    public var month: YearMonth
    public var charge: Money
    public var uses: Int

    public init(msisdn: String, serviceCode: String, month: YearMonth, charge: Money, uses: Int) {
        self.msisdn = msisdn
        self.serviceCode = serviceCode
        self.month = month
        self.charge = charge
        self.uses = uses
    }
}

/// One row of `points.csv`: points that will be cleared at the end of `clearingDate`.
public struct PointsRecord: Sendable, Hashable {
    public var msisdn: String
    public var balance: Int
    public var expiring: Int
    public var clearingDate: CalendarDate

    public init(msisdn: String, balance: Int, expiring: Int, clearingDate: CalendarDate) {
        self.msisdn = msisdn
        self.balance = balance
        self.expiring = expiring
        self.clearingDate = clearingDate
    }
}
