-- PATCH /Groups/{id} in Okta's one-member form (remove one member by filter, add one), alternately swapping
-- ROSTER_MEMBER_IN out for ROSTER_MEMBER_OUT and back, so the group keeps its size. Run with one connection.
package.path = package.path .. ";" .. os.getenv("ROSTER_BENCH_DIR") .. "/?.lua"
local c = require("common")
local group = os.getenv("ROSTER_GROUP_ID")
local members = { os.getenv("ROSTER_MEMBER_IN"), os.getenv("ROSTER_MEMBER_OUT") }
local n = 0
function request()
  n = n + 1
  local out, into = members[1 + n % 2], members[1 + (n + 1) % 2]
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":['
    .. '{"op":"remove","path":"members[value eq \\"' .. out .. '\\"]"},'
    .. '{"op":"add","path":"members","value":[{"value":"' .. into .. '","display":"bench"}]}]}'
  return wrk.format("PATCH", c.base .. "/Groups/" .. group, c.headers, body)
end
