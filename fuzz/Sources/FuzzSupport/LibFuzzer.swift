import CLibFuzzer
import Foundation

/// The shape of libFuzzer's per-input callback, `LLVMFuzzerTestOneInput`: the input's bytes and their count; it
/// returns 0 (any other value is reserved by libFuzzer).
public typealias FuzzTestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// Starts libFuzzer from a Swift `main`. SwiftPM links every Swift executable's `main` in place of the one in
/// libFuzzer's runtime, so each fuzzer's `main.swift` hands its callback to `LLVMFuzzerRunDriver`, libFuzzer's entry
/// for programs with their own `main`. The callback is also exported as `LLVMFuzzerTestOneInput`, which libFuzzer's
/// runtime references.
public enum LibFuzzer {
    /// Runs libFuzzer with this process's command line (`-runs=`, corpus directories, …) and exits with its status.
    /// `prepare` runs first, with LeakSanitizer ignoring what it allocates: it builds the fixtures that live as long
    /// as the process (``FuzzFixtures``), which LeakSanitizer would otherwise take for leaks of the first input
    /// that touches them.
    public static func run(prepare: @convention(c) () -> Void, _ testOneInput: FuzzTestOneInput) -> Never {
        roster_fuzz_without_leak_checking(prepare)
        var argumentCount = CommandLine.argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argumentCount, &arguments, testOneInput))
    }

    /// The bytes libFuzzer passed to the callback (no copy; valid only during the call).
    public static func input(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
    }
}
