-- PUT /Users/{id} with Okta's full-replace body on seeded users (line k of ROSTER_IDS is seed{k-1}@example.com),
-- alternating the familyName so that every PUT is a real change.
package.path = package.path .. ";" .. os.getenv("ROSTER_BENCH_DIR") .. "/?.lua"
local c = require("common")
local ids = c.ids()
local n = 0
function request()
  n = n + 1
  local k = math.random(1, #ids)
  local name = "seed" .. (k - 1) .. "@example.com"
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"' .. ids[k] .. '","userName":"' .. name ..
    '","name":{"givenName":"Seed","familyName":"Put' .. (n % 7) .. '"},"emails":[{"primary":true,"value":"' .. name ..
    '","type":"work"}],"active":true,"groups":[]}'
  return wrk.format("PUT", c.base .. "/Users/" .. ids[k], c.headers, body)
end
