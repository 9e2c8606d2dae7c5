import { describe, expect, it } from 'vitest';
import { adminEventLabel, describeLock, isLocked, searchPath, userPath } from '../src/adminModel';

describe('admin page helpers', () => {
  it('builds the search URL with the query trimmed and encoded', () => {
    expect(searchPath('  Alice ', 'prefix')).toBe('/admin/users?match=prefix&limit=20&page=1&q=Alice');
    expect(searchPath('a&b=c', 'exact', 2, 5)).toBe('/admin/users?match=exact&limit=5&page=2&q=a%26b%3Dc');
    expect(searchPath('   ', 'prefix')).toBe('/admin/users?match=prefix&limit=20&page=1');
  });

  it('encodes user ids into paths', () => {
    expect(userPath('a/b?c', '/sessions')).toBe('/admin/users/a%2Fb%3Fc/sessions');
  });

  it('tells a lock from an ended one, and the indefinite admin lock', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    expect(isLocked({ lockedUntil: null }, now)).toBe(false);
    expect(isLocked({ lockedUntil: '2026-11-29T11:00:00Z' }, now)).toBe(false);
    expect(isLocked({ lockedUntil: '2026-11-29T13:00:00Z' }, now)).toBe(true);
    expect(describeLock({ lockedUntil: '9999-12-31T23:59:59.9999999+00:00' }, now)).toBe('Locked until unlocked');
    expect(describeLock({ lockedUntil: null }, now)).toBe('Active');
  });

  it('labels admin events in words, and unknown types readably', () => {
    expect(adminEventLabel('admin_locked')).toBe('Account locked by an administrator');
    expect(adminEventLabel('something_new')).toBe('Something new');
  });
});
