/// Staged reminders (SPEC §3.1, §3.3): due while 0 ≤ d ≤ max(stages); the stage is the smallest s ≥ d.
public enum Stages {
    /// The stage for `daysLeft`, or `nil` when nothing is due.
    public static func stage(daysLeft d: Int, stages: [Int]) -> Int? {
        guard d >= 0, let top = stages.max(), d <= top else { return nil }
        return stages.filter { $0 >= d }.min()
    }
}
