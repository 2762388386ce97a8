// The request-body fuzzer: `scripts/fuzz.sh` builds and runs it.
import FuzzSupport

LibFuzzer.run(prepare: { FuzzFixtures.prepare() }, fuzzJSONTestOneInput)
