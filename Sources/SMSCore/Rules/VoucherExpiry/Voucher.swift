/// A bonus voucher (凭证码) from `vouchers.csv` (SPEC §1): what it is, what it is worth, its secret code and the last
/// day it can be redeemed.
public struct Voucher: Sendable, Hashable {
    public enum Status: String, Sendable, CaseIterable { case issued, redeemed, void }

    public var voucherID: String
    public var title: String
    public var value: Money
    /// The secret redemption code: never shown whole (``VoucherExpiryRule/codeTail(_:)``).
    public var code: String
    public var redeemBy: CalendarDate
    public var status: Status

    public init(voucherID: String, title: String, value: Money, code: String, redeemBy: CalendarDate, status: Status) {
        self.voucherID = voucherID
        self.title = title
        self.value = value
        self.code = code
        self.redeemBy = redeemBy
        self.status = status
    }
}
