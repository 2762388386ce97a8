-- GET /Users?startIndex=…&count=100: pages of 100 users.
package.path = package.path .. ";" .. os.getenv("ROSTER_BENCH_DIR") .. "/?.lua"
local c = require("common")
local seeded = tonumber(os.getenv("ROSTER_SEEDED"))
function request()
  local start = math.random(0, math.max(0, seeded - 100))
  return wrk.format("GET", c.base .. "/Users?startIndex=" .. (start + 1) .. "&count=100", c.headers)
end
