-- GET /Users/{id} on seeded users.
package.path = package.path .. ";" .. os.getenv("ROSTER_BENCH_DIR") .. "/?.lua"
local c = require("common")
local ids = c.ids()
function request()
  return wrk.format("GET", c.base .. "/Users/" .. ids[math.random(1, #ids)], c.headers)
end
