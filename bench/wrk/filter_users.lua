-- GET /Users?filter=userName eq "…" on seeded users (Okta's lookup before every create).
package.path = package.path .. ";" .. os.getenv("ROSTER_BENCH_DIR") .. "/?.lua"
local c = require("common")
local seeded = tonumber(os.getenv("ROSTER_SEEDED"))
function request()
  local n = math.random(0, seeded - 1)
  return wrk.format("GET", c.base .. "/Users?filter=userName%20eq%20%22seed" .. n .. "%40example.com%22", c.headers)
end
