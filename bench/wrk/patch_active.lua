-- PATCH /Users/{id} with Okta's deactivate/reactivate shape, alternating, on seeded users.
package.path = package.path .. ";" .. os.getenv("ROSTER_BENCH_DIR") .. "/?.lua"
local c = require("common")
local ids = c.ids()
local flip = false
function request()
  flip = not flip
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":' ..
    (flip and "false" or "true") .. '}}]}'
  return wrk.format("PATCH", c.base .. "/Users/" .. ids[math.random(1, #ids)], c.headers, body)
end
