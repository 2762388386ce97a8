-- Shared by the phase scripts: the token and base path come from the environment (bench/run.sh sets them).
local M = {}
M.token = os.getenv("ROSTER_TOKEN")
M.base = os.getenv("ROSTER_BASE_PATH") -- /api/scim/v2.0/{directoryId}
M.headers = { ["Authorization"] = "Bearer " .. M.token, ["Content-Type"] = "application/scim+json" }

-- The user ids bench/run.sh seeded, one per line.
function M.ids()
  local ids = {}
  for line in io.lines(os.getenv("ROSTER_IDS")) do ids[#ids + 1] = line end
  return ids
end
return M
