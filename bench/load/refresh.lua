-- wrk script for POST /auth/refresh. A refresh token is single-use, so every connection runs its own
-- chain: it sends a token once and the token in the answer is the only one that may follow. wrk gives each
-- thread its own Lua state, so run one connection per thread (-t N -c N); thread i starts from line i of
-- the file named by ROTOR_TOKENS. A refused refresh ends that chain: wrk counts it as a non-2xx answer.
-- With ROTOR_TOKENS_OUT set, the last token of every chain is written there at the end, so a following
-- wrk run (e.g. the 1 s windows of coldstart.sh) can continue the chains.
local tokens = {}
for line in io.lines(os.getenv("ROTOR_TOKENS")) do tokens[#tokens + 1] = line end
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("token", tokens[counter])
  threads[counter] = thread
end

-- ROTOR_REFRESH_PATH names another endpoint with the same contract (ASP.NET Core Identity's /refresh).
local path = os.getenv("ROTOR_REFRESH_PATH")
if path == nil or path == "" then path = "/auth/refresh" end

function request()
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" },
    '{"refreshToken":"' .. token .. '"}')
end

function response(status, headers, body)
  if status == 200 then
    token = body:match('"refreshToken":"([^"]+)"') or token
  end
end

function done(summary, latency, requests)
  local out = os.getenv("ROTOR_TOKENS_OUT")
  if out == nil or out == "" then return end
  local file = io.open(out, "w")
  for _, thread in ipairs(threads) do file:write(thread:get("token"), "\n") end
  file:close()
end
