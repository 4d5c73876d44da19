import Foundation

/// A scratch folder holding a copy of the project's templates, for in-process tests of the job; removed at the end.
struct Scratch {
    /// The package root, found from this file.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func fixture(_ name: String) -> String { root + "/fixtures/" + name }

    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "smsbatch-unit-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Scratch.root + "/templates", toPath: path + "/templates")
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: file(name), atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
