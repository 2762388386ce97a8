-- GET /healthz, the control: made per request by Lua with the SCIM phases' headers (the token, the content type), so
-- that wrk does the same work per request and Roster parses a request of the same size as in every SCIM phase; the
-- ratio of a phase to it is then what the SCIM work adds, not how much cheaper a static request is for wrk.
package.path = package.path .. ";" .. os.getenv("ROSTER_BENCH_DIR") .. "/?.lua"
local c = require("common")
function request()
  return wrk.format("GET", "/healthz", c.headers)
end
