import Foundation
import Testing

/// A real part the end-to-end tests use (a PostgreSQL server, a browser). One rule for every part: a test that needs
/// one runs when it is there and is skipped when it is not — unless `SMSBATCH_REQUIRE_EXTERNAL=1` (`scripts/test`
/// sets it, so CI never skips), which makes a missing part a failure.
enum ExternalPart: String, CaseIterable {
    case postgres = "PostgreSQL (run the tests with scripts/with-postgres)"
    case chromium = "Chromium (scripts/test installs it)"

    /// Set by `scripts/test` (`SMSBATCH_REQUIRE_POSTGRES=1`, its older name, is read too).
    static let required = ["SMSBATCH_REQUIRE_EXTERNAL", "SMSBATCH_REQUIRE_POSTGRES"].contains {
        ProcessInfo.processInfo.environment[$0] == "1"
    }

    var isAvailable: Bool {
        switch self {
        case .postgres: PostgresDatabase.serverURL != nil
        case .chromium: PreviewPageTests.chromium() != nil
        }
    }

    /// Whether tests that need the part run: it is there, or it must be (and its absence then fails them).
    var runs: Bool { isAvailable || Self.required }
}

@Test(arguments: ExternalPart.allCases)
func everyRequiredPartIsThere(_ part: ExternalPart) {
    if ExternalPart.required {
        #expect(part.isAvailable, "\(part.rawValue) is missing")
    }
}
