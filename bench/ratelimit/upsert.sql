\set k random(1, 10000)
\set now 1800000000000 + :client_id * 1000 + random(0, 999)
INSERT INTO rotor_rate_limits AS r ("Policy", "Key", "Hits", "WindowStart", "ExpiresAt") VALUES ('rotor-Login:address', md5(:k::text), 1, :now, :now + 60000) ON CONFLICT ("Policy", "Key") DO UPDATE SET "Hits" = CASE WHEN r."ExpiresAt" > :now THEN r."Hits" + 1 ELSE 1 END, "WindowStart" = CASE WHEN r."ExpiresAt" > :now THEN r."WindowStart" ELSE :now END, "ExpiresAt" = CASE WHEN r."ExpiresAt" > :now THEN r."ExpiresAt" ELSE :now + 60000 END RETURNING "Hits", "ExpiresAt";
