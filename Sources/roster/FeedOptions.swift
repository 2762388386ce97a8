import ArgumentParser
import RosterCore

/// How a feed command (`events`, `audit`) names its items and their order in the help and errors of ``FeedOptions``.
protocol FeedWords {
    /// The items, plural: `events`.
    static var items: String { get }
    /// What orders them, as `--after` takes it: `sequence`.
    static var position: String { get }
    /// How `--help` names `--after`'s value: `seq`.
    static var positionValueName: String { get }
    /// What `--after` must be, ending the error "--after must be …": `a sequence number, 0 or more`.
    static var positionExpected: String { get }
    /// How a new item comes to be: `committed`.
    static var arrival: String { get }
}

/// What the commands that print an ordered feed (``OrderedFeed``) take, in this order: where the data is, `--after`,
/// `--follow` and `--limit`, each explained with `Words`.
struct FeedOptions<Words: FeedWords>: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Option(
        help: ArgumentHelp(
            "Print only \(Words.items) whose \(Words.position) is greater than this (default 0: all).",
            valueName: Words.positionValueName
        )
    )
    var after: String?

    @Flag(
        help: ArgumentHelp("Keep printing new \(Words.items) as they are \(Words.arrival) (checking every 500 ms) until SIGINT or SIGTERM.")
    )
    var follow = false

    @Option(help: ArgumentHelp("Print at most this many \(Words.items), then exit (with --follow too).", valueName: "n"))
    var limit: String?

    /// The command's whole run: parses `--after` and `--limit`, then evaluates `check` (all before the database
    /// opens), then prints the feed that `feed` makes on the store from the position after which to start, the limit
    /// and what `check` gave: what is there, and with `--follow` new items until SIGINT or SIGTERM. Failures are
    /// reported as ``GlobalOptions/runOnStore(checking:_:)`` reports them.
    func print<Checked>(
        checking check: @autoclosure () throws -> Checked,
        _ feed: (any RosterStorage, _ after: Int64, _ limit: Int?, Checked) -> OrderedFeed
    ) async throws {
        try await global.runOnStore(checking: (start: start(), limit: maximum(), checked: check())) { store, prepared in
            try await feed(store, prepared.start, prepared.limit, prepared.checked).print(
                following: follow,
                every: OrderedFeed.pollInterval
            )
        }
    }

    /// ``print(checking:_:)`` for a command with nothing more to check.
    func print(_ feed: (any RosterStorage, _ after: Int64, _ limit: Int?) -> OrderedFeed) async throws {
        try await print(checking: ()) { store, after, limit, _ in feed(store, after, limit) }
    }

    /// `--after`, 0 when not given; anything but a whole number of 0 or more fails with exit code 2.
    private func start() throws(CommandFailure) -> Int64 {
        try OrderedFeed.number(after, flag: "--after", minimum: 0, expected: Words.positionExpected) ?? 0
    }

    /// `--limit`, nil when not given; anything but a positive whole number fails with exit code 2.
    private func maximum() throws(CommandFailure) -> Int? {
        try OrderedFeed.number(limit, flag: "--limit", minimum: 1, expected: "a positive number of \(Words.items)").map(Int.init)
    }
}
