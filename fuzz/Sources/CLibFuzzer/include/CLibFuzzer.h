// The C side of the fuzzers: libFuzzer's entry for programs with their own `main`, and a way to make allocations
// that LeakSanitizer never reports.
#ifndef ROSTER_FUZZ_CLIBFUZZER_H
#define ROSTER_FUZZ_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's documented entry for programs with their own `main` (llvm.org/docs/LibFuzzer.html, "Using libFuzzer
/// as a library"): runs libFuzzer with the given command line, calling `callback` for every input, and returns the
/// exit status. SwiftPM links a Swift executable's `main` in place of libFuzzer's, so the fuzzers call this.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// Runs `body` with LeakSanitizer ignoring the allocations it makes, for fixtures that live as long as the process.
/// Swift keeps the boxes of an indirect enum (`JSONValue`) behind pointers with tag bits set, which LeakSanitizer
/// does not recognise as references, so without this it reports every long-lived JSON value as leaked.
void roster_fuzz_without_leak_checking(void (*body)(void));

#endif
