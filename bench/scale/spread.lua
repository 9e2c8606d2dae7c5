-- wrk script for POST /auth/refresh spread over many sessions: thread i of N owns lines i, i+N, i+2N, ... of the
-- file named by ROTOR_TOKENS and sends them in turn, replacing each with the token in its answer (a refresh token is
-- single-use). Run one connection per thread (-t N -c N) so a thread has one request in flight. With many more lines
-- than threads, each request reads and updates a different row, as a fleet's refreshes do, instead of the same
-- 16 hot rows (bench/load/refresh.lua). A refused refresh shows as non-2xx and that session drops out.
local lines = {}
for line in io.lines(os.getenv("ROTOR_TOKENS")) do lines[#lines + 1] = line end
local nthreads = tonumber(os.getenv("ROTOR_THREADS"))
local counter = 0

function setup(thread)
  counter = counter + 1
  local mine = {}
  for i = counter, #lines, nthreads do mine[#mine + 1] = lines[i] end
  thread:set("list", table.concat(mine, " "))
end

function init(args)
  tokens = {}
  for t in string.gmatch(list, "%S+") do tokens[#tokens + 1] = t end
  current = 0
end

function request()
  current = current % #tokens + 1
  return wrk.format("POST", "/auth/refresh", { ["Content-Type"] = "application/json" },
    '{"refreshToken":"' .. tokens[current] .. '"}')
end

function response(status, headers, body)
  if status == 200 then
    tokens[current] = body:match('"refreshToken":"([^"]+)"') or tokens[current]
  end
end
