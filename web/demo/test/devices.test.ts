import { describe, expect, it } from 'vitest';
import { ago, deviceRows, IDLE_FACTOR, isIdle, type SessionInfo } from '../src/devices';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0 Safari/537.36';
const NOW = Date.parse('2026-11-29T20:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

function session(id: string, lastUsedMinutesAgo: number, extra: Partial<SessionInfo> = {}): SessionInfo {
  return {
    id,
    createdAt: minutesAgo(lastUsedMinutesAgo + 60 + Number(id.replace(/\D/g, '') || 0)),
    lastUsedAt: minutesAgo(lastUsedMinutesAgo),
    expiresAt: minutesAgo(-60 * 24 * 14),
    userAgent: CHROME,
    ipAddress: '::1',
    current: false,
    ...extra,
  };
}

describe('sessions list', () => {
  it('puts this device first, then the others last active first', () => {
    const rows = deviceRows([session('s1', 90), session('s2', 1), session('s3', 30, { current: true })], NOW, 15 * 60_000);
    expect(rows.map((r) => r.id)).toEqual(['s3', 's2', 's1']);
  });

  it('tells identical devices apart by when they signed in', () => {
    const rows = deviceRows([session('s1', 5), session('s2', 10), session('s3', 0, { current: true })], NOW, 15 * 60_000);
    const names = rows.map((r) => r.name);
    expect(new Set(names).size).toBe(3);
    expect(rows[0]!.name).toBe('Headless Chrome on Linux');
    expect(rows[1]!.name).toMatch(/^Headless Chrome on Linux · signed in /);
  });

  it('tells devices apart to the second when they signed in the same minute', () => {
    const createdAt = minutesAgo(3);
    const later = new Date(Date.parse(createdAt) + 7000).toISOString();
    const rows = deviceRows([session('s1', 1, { createdAt }), session('s2', 2, { createdAt: later })], NOW, 60_000);
    expect(rows[0]!.name).not.toBe(rows[1]!.name);
  });

  it(`marks as idle what has not refreshed for ${IDLE_FACTOR} token lifetimes, never this device`, () => {
    const lifetime = 3 * 60_000;
    expect(isIdle(session('s1', IDLE_FACTOR * 3 + 1), NOW, lifetime)).toBe(true);
    expect(isIdle(session('s2', IDLE_FACTOR * 3 - 1), NOW, lifetime)).toBe(false);
    expect(isIdle(session('s3', 500, { current: true }), NOW, lifetime)).toBe(false);
    // Before a token has been seen: the server's default lifetime (15 minutes).
    expect(isIdle(session('s4', 60), NOW, null)).toBe(false);
    expect(isIdle(session('s5', 80), NOW, null)).toBe(true);
  });

  it('says how long ago in words', () => {
    expect(ago(minutesAgo(0), NOW)).toBe('just now');
    expect(ago(new Date(NOW - 16_000).toISOString(), NOW)).toBe('16 seconds ago');
    expect(ago(minutesAgo(5), NOW)).toBe('5 minutes ago');
    expect(ago(minutesAgo(180), NOW)).toBe('3 hours ago');
    expect(ago(minutesAgo(60 * 24 * 3), NOW)).toBe('3 days ago');
  });
});
