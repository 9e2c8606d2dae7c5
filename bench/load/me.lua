-- wrk script: GET /users/me with the access token in ROTOR_ACCESS_TOKEN (or none when it is empty).
-- With ROTOR_PROOFS set (a folder; dpop.sh) the token is a DPoP-bound one: Authorization: DPoP, and thread i sends a
-- fresh pre-signed proof (with the token's ath) from file i with each request.
local access = os.getenv("ROTOR_ACCESS_TOKEN") or ""
local proofs_dir = os.getenv("ROTOR_PROOFS")
local dpop = proofs_dir ~= nil and proofs_dir ~= ""
wrk.method = "GET"
wrk.path = "/users/me"
if access ~= "" then wrk.headers["Authorization"] = (dpop and "DPoP " or "Bearer ") .. access end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

local proofs = nil
local next_proof = 0

function init(args)
  if dpop then
    proofs = {}
    for line in io.lines(proofs_dir .. "/" .. id) do proofs[#proofs + 1] = line end
  end
end

function request()
  if proofs == nil then return wrk.format() end
  -- Past the last proof the last one is sent again, which the server refuses as a replay: a visible non-2xx.
  next_proof = math.min(next_proof + 1, #proofs)
  -- Headers given to wrk.format replace wrk.headers, so the Authorization header is repeated here.
  return wrk.format(nil, nil, { ["Authorization"] = wrk.headers["Authorization"], ["DPoP"] = proofs[next_proof] })
end
