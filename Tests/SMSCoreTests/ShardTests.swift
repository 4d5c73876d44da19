import SMSCore
import Testing

@Suite struct ShardTests {
    @Test(arguments: [("0/4", 0, 4), ("3/4", 3, 4), ("4/4", 0, 4), ("1/1", 0, 1), ("0/1", 0, 1), ("7/16", 7, 16)])
    func parses(text: String, index: Int, count: Int) throws {
        let shard = try #require(Shard(text))
        #expect(shard.index == index && shard.count == count)
    }

    @Test(arguments: ["", "4", "5/4", "-1/4", "1/0", "a/4", "1/4/2", "1/"])
    func refuses(text: String) {
        #expect(Shard(text) == nil)
    }

    /// Each number falls in exactly one shard, whether k counts from 0 or from 1, and the shards are near even.
    @Test(arguments: [2, 4, 7])
    func partitionsEveryNumberOnce(count: Int) throws {
        var sizes = [Int](repeating: 0, count: count)
        for i in 0..<20_000 {
            let msisdn = "138" + String(10_000_000 + i * 7919 % 90_000_000)
            let fromZero = (0..<count).filter { Shard("\($0)/\(count)")!.contains(msisdn: msisdn) }
            let fromOne = (1...count).filter { Shard("\($0)/\(count)")!.contains(msisdn: msisdn) }
            #expect(fromZero.count == 1)
            #expect(fromOne.map { $0 % count } == fromZero)
            sizes[fromZero[0]] += 1
        }
        let even = 20_000 / count
        #expect(sizes.allSatisfy { abs($0 - even) < even / 10 }, "\(sizes)")
    }

    /// The function is part of the contract between planners on different machines: it must not drift.
    @Test func isStable() {
        #expect(Shard.mix(13_800_138_000) == Shard.mix(13_800_138_000))
        #expect((0..<4).filter { Shard("\($0)/4")!.contains(msisdn: "13800138000") } == [Int(Shard.mix(13_800_138_000) % 4)])
        #expect(Shard.mix(0) == 0xE220_A839_7B1D_CDAF)
        #expect(Shard.all.contains(msisdn: "13800138000"))
    }
}
