-- Grows rotor_sessions (and AspNetUsers) to :sessions rows, as sign-ins would have left them, with psql variables
-- :users (target user count), :sessions (target session count) and :chunk (rows per INSERT). Run by bench/scale/run.sh.
--
-- Users are numbered 1..:users; user k has Id md5('scale-user-k') as a uuid string (as Identity's Guid ids) and
-- security stamp upper(md5('stamp-k')) (32 characters, as Identity's), so a session can name its user and the
-- stamp it began with without a join. Sessions go to uniformly random users: about :sessions / :users each.
-- Rotor stores no token or token hash (a token names its session and generation and is authenticated by an HMAC key
-- that is not in the database), so a row is ids, times, the user agent, address and stamp.
-- Times are Unix milliseconds (the columns' conversion): created within the last 29 days, last used within the last
-- 6 days (so every live session stays live through the run: idle timeout 7 days, lifetime 30 days), 60 % rotated
-- at least once; 2 % revoked within the last day (the purge keeps revoked sessions a day).
\set ON_ERROR_STOP on
SELECT (extract(epoch FROM now()) * 1000)::bigint AS now_ms \gset
SELECT coalesce(max(n), 0) AS have_users FROM scale_progress WHERE what = 'users' \gset
SELECT coalesce(max(n), 0) AS have_sessions FROM scale_progress WHERE what = 'sessions' \gset

INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed",
  "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled",
  "AccessFailedCount", "LastLoginAt")
SELECT md5('scale-user-' || k)::uuid::text, 'user' || k, 'USER' || k, 'user' || k || '@example.com', 'USER' || k || '@EXAMPLE.COM', true,
  -- an Identity v3 hash is 84 base64 characters
  'AQAAAAIAAYagAAAAE' || substr(encode(sha256(('pw' || k)::bytea) || sha256(('pw2' || k)::bytea), 'base64'), 1, 67),
  upper(md5('stamp-' || k)), md5('concurrency-' || k)::uuid::text, false, false, true, 0, :now_ms - (random() * 6 * 86400000)::bigint
FROM generate_series(:have_users + 1, :users) k;
INSERT INTO scale_progress VALUES ('users', :users);

SELECT format(
  $f$INSERT INTO rotor_sessions ("Id", "UserId", "Generation", "CreatedAt", "LastUsedAt", "RotatedAt", "ExpiresAt",
    "IdleExpiresAt", "RevokedAt", "RevocationReason", "Mode", "UserAgent", "IpAddress", "SecurityStamp", "AuthenticatedAt")
  SELECT gen_random_uuid(), md5('scale-user-' || u)::uuid::text, gen, created, used, CASE WHEN gen > 0 THEN used END,
    created + 2592000000, least(used + 604800000, created + 2592000000),
    CASE WHEN r < 0.02 THEN %1$s - (r * 50 * 86400000)::bigint END, CASE WHEN r < 0.02 THEN 'logout' END,
    CASE WHEN r2 < 0.5 THEN 'native' ELSE 'browser' END,
    (ARRAY['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
           'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
           'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
           'MyApp/4.2.1 (Android 15; Pixel 8) okhttp/4.12.0'])[1 + (n %% 4)],
    '10.' || (n >> 16 & 255) || '.' || (n >> 8 & 255) || '.' || (n & 255),
    upper(md5('stamp-' || u)), created
  FROM (SELECT n, 1 + floor(random() * %2$s)::bigint AS u, random() AS r, random() AS r2,
               CASE WHEN random() < 0.6 THEN floor(random() * 200)::bigint ELSE 0 END AS gen,
               %1$s - (random() * 29 * 86400000)::bigint AS created
        FROM generate_series(%3$s, %4$s) n) s,
       LATERAL (SELECT greatest(s.created, %1$s - (random() * 6 * 86400000)::bigint) AS used) t$f$,
  :now_ms, :users, lo, least(lo + :chunk - 1, :sessions))
FROM generate_series(:have_sessions + 1, :sessions, :chunk) lo
\gexec
INSERT INTO scale_progress VALUES ('sessions', :sessions);
