import SMSCore

/// Finds the subscriber position of each row of a file joined to `subscribers.csv`.
///
/// Exports usually list rows in subscriber order, so a row is most often the last row's subscriber or the next
/// one: both are checked before the number table, whose lookup at random is a cache miss (and at ten million
/// subscribers, a miss in a table of hundreds of megabytes). For a file in any other order the guess stops after
/// its first miss, until a lookup shows the order again, so it costs such a file next to nothing.
struct PositionFinder {
    let positions: UInt64Map
    /// Subscriber numbers by position.
    let numbers: [UInt64]
    private var lastNumber: UInt64 = 0
    private var lastPosition = -1
    private var guessing = true

    init(positions: UInt64Map, numbers: [UInt64]) {
        self.positions = positions
        self.numbers = numbers
    }

    /// The position of the subscriber `number`, or `nil` for an orphan.
    mutating func position(of number: UInt64) -> Int32? {
        if number == lastNumber { return Int32(lastPosition) }
        let next = lastPosition + 1
        if guessing {
            if next < numbers.count, numbers[next] == number {
                (lastNumber, lastPosition) = (number, next)
                return Int32(next)
            }
            guessing = false
        }
        guard let p = positions[number] else { return nil }
        guessing = Int(p) == next
        (lastNumber, lastPosition) = (number, Int(p))
        return p
    }
}
