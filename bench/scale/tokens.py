#!/usr/bin/env python3
"""Mints the refresh token of existing sessions, so load can be spread over rows filled by SQL.

Reads "session-id generation" lines on stdin and the host's generation-0 refresh key (KEY_DIRECTORY/refresh-token.key,
base64) and writes one token a line: base64url(key id 1 || session id (16 bytes, big-endian) || generation (8 bytes,
big-endian) || HMAC-SHA256(key, the 25 bytes before)), unpadded, as src/Rotor/Tokens/RefreshTokenCodec.cs makes it.
Usage: tokens.py KEY_DIRECTORY < sessions > tokens
"""
import base64, hashlib, hmac, os, sys, uuid

key = base64.b64decode(open(os.path.join(sys.argv[1], "refresh-token.key")).read().strip())
out = sys.stdout
for line in sys.stdin:
    parts = line.split()
    if len(parts) != 2:
        continue
    header = bytes([1]) + uuid.UUID(parts[0]).bytes + int(parts[1]).to_bytes(8, "big")
    tag = hmac.new(key, header, hashlib.sha256).digest()
    out.write(base64.urlsafe_b64encode(header + tag).rstrip(b"=").decode() + "\n")
