import { describe, expect, it } from 'vitest';
import { safeNext } from '../src/router';
import { normaliseEvents } from '../src/securityEvents';
import { describeUserAgent } from '../src/userAgent';

describe('safeNext', () => {
  it('keeps paths of this app and refuses anything that leaves it', () => {
    expect(safeNext('/sessions')).toBe('/sessions');
    expect(safeNext('//evil.example')).toBe('/dashboard');
    expect(safeNext('/\\evil.example')).toBe('/dashboard');
    expect(safeNext('https://evil.example')).toBe('/dashboard');
    expect(safeNext(null)).toBe('/dashboard');
  });
});

describe('describeUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36', 'Chrome on Windows'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1', 'Safari on iOS'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Linux'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0 Safari/537.36', 'Headless Chrome on Linux'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0', 'Edge on macOS'],
    [null, 'Unknown device'],
  ])('%s → %s', (ua, expected) => {
    expect(describeUserAgent(ua)).toBe(expected);
  });
});

describe('normaliseEvents', () => {
  it('reads a paged object', () => {
    const page = normaliseEvents(
      { items: [{ id: '1', type: 'login_succeeded', occurredAt: '2030-01-01T00:00:00Z', ipAddress: '127.0.0.1' }], total: 25 },
      1,
      20,
    );
    expect(page.items).toHaveLength(1);
    expect(page.items[0]!.ipAddress).toBe('127.0.0.1');
    expect(page.hasMore).toBe(true);
  });

  it('reads a bare array and skips malformed entries', () => {
    const page = normaliseEvents([{ eventType: 'logout', createdAt: '2030-01-01T00:00:00Z' }, { nope: true }, 3], 2, 20);
    expect(page.items).toEqual([
      { id: undefined, type: 'logout', occurredAt: '2030-01-01T00:00:00Z', ipAddress: null, userAgent: null, detail: null },
    ]);
    expect(page.hasMore).toBe(false);
  });
});
