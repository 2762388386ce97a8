-- POST /Users with Okta's body and a unique userName per request.
package.path = package.path .. ";" .. os.getenv("ROSTER_BENCH_DIR") .. "/?.lua"
local c = require("common")
local counter = 0
local threads_made = 0
-- Runs once per thread in the main state: gives each thread its own number (a global `tid` in its state).
function setup(thread)
  threads_made = threads_made + 1
  thread:set("tid", threads_made)
end
function request()
  counter = counter + 1
  local name = "load-" .. tid .. "-" .. counter .. "@example.com"
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"' .. name ..
    '","name":{"givenName":"Load","familyName":"Test"},"emails":[{"primary":true,"value":"' .. name ..
    '","type":"work"}],"displayName":"Load Test","active":true}'
  return wrk.format("POST", c.base .. "/Users", c.headers, body)
end
