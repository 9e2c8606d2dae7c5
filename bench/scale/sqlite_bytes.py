#!/usr/bin/env python3
"""Bytes per session on SQLite, for comparison with bench/scale/run.sh's PostgreSQL figures.

Fills rotor_sessions of a migrated Rotor SQLite file (made by starting the host once on it) with the same kind of rows
as bench/scale/fill.sql (ids as EF Core writes Guids on SQLite: 36-character text), growing to each size in turn, and
prints bytes per session of the table and of each index from the dbstat virtual table (after VACUUM).
Usage: sqlite_bytes.py FILE SIZE...
"""
import random, sqlite3, sys, time, uuid

db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
agents = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "MyApp/4.2.1 (Android 15; Pixel 8) okhttp/4.12.0",
]
now = int(time.time() * 1000)
day = 86_400_000
have = db.execute("SELECT count(*) FROM rotor_sessions").fetchone()[0]
print("sessions\ttable B/session\tindexes B/session\ttotal B/session\tper index (B/session)")
for size in map(int, sys.argv[2:]):
    users = max(1, size // 3)

    def rows(lo, hi):
        for n in range(lo, hi):
            u = random.randrange(users)
            gen = random.randrange(200) if random.random() < 0.6 else 0
            created = now - random.randrange(29 * day)
            used = max(created, now - random.randrange(6 * day))
            revoked = now - random.randrange(day) if random.random() < 0.02 else None
            stamp = uuid.UUID(int=u * 7919 + 1).hex.upper()
            yield (str(uuid.uuid4()).upper(), str(uuid.UUID(int=u + 1)), gen, created, used, used if gen else None,
                   created + 30 * day, min(used + 7 * day, created + 30 * day), revoked, "logout" if revoked else None,
                   "native" if random.random() < 0.5 else "browser", agents[n % 4], f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}",
                   stamp, created)

    db.execute("BEGIN")
    db.executemany('INSERT INTO rotor_sessions ("Id", "UserId", "Generation", "CreatedAt", "LastUsedAt", "RotatedAt", '
                   '"ExpiresAt", "IdleExpiresAt", "RevokedAt", "RevocationReason", "Mode", "UserAgent", "IpAddress", '
                   '"SecurityStamp", "AuthenticatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', rows(have, size))
    db.execute("COMMIT")
    have = size
    db.execute("VACUUM")
    n = db.execute("SELECT count(*) FROM rotor_sessions").fetchone()[0]
    parts = dict(db.execute("SELECT name, sum(pgsize) FROM dbstat WHERE name IN "
                            "(SELECT name FROM sqlite_master WHERE tbl_name = 'rotor_sessions') GROUP BY name").fetchall())
    table = parts.pop("rotor_sessions")
    idx = sum(parts.values())
    print(f"{n}\t{table // n}\t{idx // n}\t{(table + idx) // n}\t" +
          ", ".join(f"{k} {v // n}" for k, v in sorted(parts.items())), flush=True)
