import RosterTestSupport
import Testing

/// Item 4 of issue 10, "Isolation and web security", as one suite. Its nested suites, one a file in this folder:
/// a directory's token reaches only its own directory (``DirectoryIsolationTests``, ``TokenScopeTests``); every
/// settings form needs its session's CSRF token (``CSRFTests``); whatever an identity provider sends is escaped on
/// every settings page (``HTMLEscapingTests``); and a wrong bearer token is rejected in the same time however much
/// of the real token it repeats (``TokenTimingTests``).
@Suite("Isolation and web security")
enum SecurityTests {}
