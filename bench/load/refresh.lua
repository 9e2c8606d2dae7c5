-- wrk script: every connection runs its own refresh-token chain (a token is single-use), so run with
-- one connection per thread (-t N -c N). Tokens come from the file named by ROTOR_TOKENS, one per line.
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
    local next = body:match('"refreshToken":"([^"]+)"')
    if next then token = next end
  else
    broken = (broken or 0) + 1
  end
end
