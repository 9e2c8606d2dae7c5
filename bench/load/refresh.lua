-- wrk script for POST /auth/refresh. A refresh token is single-use, so every connection runs its own
-- chain: it sends a token once and the token in the answer is the only one that may follow. wrk gives each
-- thread its own Lua state, so run one connection per thread (-t N -c N); thread i starts from line i of
-- the file named by ROTOR_TOKENS. A refused refresh ends that chain: wrk counts it as a non-2xx answer.
local tokens = {}
for line in io.lines(os.getenv("ROTOR_TOKENS")) do tokens[#tokens + 1] = line end
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("token", tokens[counter])
end

function request()
  return wrk.format("POST", "/auth/refresh", { ["Content-Type"] = "application/json" },
    '{"refreshToken":"' .. token .. '"}')
end

function response(status, headers, body)
  if status == 200 then
    token = body:match('"refreshToken":"([^"]+)"') or token
  end
end
