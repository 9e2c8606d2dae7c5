-- wrk script: GET /users/me with the access token in ROTOR_ACCESS_TOKEN (or none when it is empty).
local access = os.getenv("ROTOR_ACCESS_TOKEN") or ""
wrk.method = "GET"
wrk.path = "/users/me"
if access ~= "" then wrk.headers["Authorization"] = "Bearer " .. access end
