// The filter fuzzer: `scripts/fuzz.sh` builds and runs it.
import FuzzSupport

LibFuzzer.run(prepare: { FuzzFixtures.prepare() }, fuzzFilterTestOneInput)
