-- wrk script for POST /auth/refresh. A refresh token is single-use, so every connection runs its own
-- chain: it sends a token once and the token in the answer is the only one that may follow. wrk gives each
-- thread its own Lua state, so run one connection per thread (-t N -c N); thread i starts from line i of
-- the file named by ROTOR_TOKENS. A refused refresh ends that chain: wrk counts it as a non-2xx answer.
-- With ROTOR_TOKENS_OUT set, the last token of every chain is written there at the end, so a following
-- wrk run (e.g. the 1 s windows of coldstart.sh) can continue the chains.
-- With ROTOR_PROOFS set (a folder; dpop.sh), thread i sends a fresh pre-signed DPoP proof from file i with each
-- request: the chains are DPoP-bound sessions.
local tokens = {}
for line in io.lines(os.getenv("ROTOR_TOKENS")) do tokens[#tokens + 1] = line end
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("token", tokens[counter])
  thread:set("id", counter)
  threads[counter] = thread
end

local proofs_dir = os.getenv("ROTOR_PROOFS")
local proofs = nil
local next_proof = 0

function init(args)
  if proofs_dir ~= nil and proofs_dir ~= "" then
    proofs = {}
    for line in io.lines(proofs_dir .. "/" .. id) do proofs[#proofs + 1] = line end
  end
end

-- ROTOR_REFRESH_PATH names another endpoint with the same contract (ASP.NET Core Identity's /refresh).
local path = os.getenv("ROTOR_REFRESH_PATH")
if path == nil or path == "" then path = "/auth/refresh" end

function request()
  local headers = { ["Content-Type"] = "application/json" }
  if proofs ~= nil then
    -- Past the last proof the last one is sent again, which the server refuses as a replay: a visible non-2xx.
    next_proof = math.min(next_proof + 1, #proofs)
    headers["DPoP"] = proofs[next_proof]
  end
  return wrk.format("POST", path, headers, '{"refreshToken":"' .. token .. '"}')
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
