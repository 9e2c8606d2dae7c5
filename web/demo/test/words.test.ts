import { describe, expect, it } from 'vitest';
import { clientKindWords, detailWords, eventWords, humanise, reasonWords } from '../src/words';

/** Every code the server writes into the security log today (event types, revocation reasons, client kinds). */
const EVENT_TYPES = [
  'login_succeeded', 'login_failed', 'locked_out', 'logout', 'session_revoked', 'refresh_token_reused',
  'password_changed', 'password_reset', 'email_verified', 'otp_failed', 'username_changed', 'mfa_enabled',
  'mfa_disabled', 'authenticator_reset', 'recovery_codes_regenerated', 'recovery_code_used', 'mfa_failed',
  'reauthenticated', 'email_changed', 'admin_session_revoked', 'admin_sessions_revoked', 'admin_locked', 'admin_unlocked',
  'admin_viewed',
];
const REASONS = [
  'logout', 'logout_all', 'revoked_by_user', 'refresh_token_reused', 'replaced_by_login', 'password_changed',
  'account_changed', 'mfa_enabled', 'email_changed', 'revoked_by_admin', 'locked_by_admin',
];

describe('security log words', () => {
  it.each(EVENT_TYPES)('names the event %s in words', (type) => {
    const text = eventWords(type);
    expect(text).not.toMatch(/_/);
    expect(text).toMatch(/^[A-Z]/);
  });

  it.each(REASONS)('says why a session ended: %s', (reason) => {
    expect(reasonWords(reason)).not.toMatch(/_/);
    expect(detailWords('session_revoked', reason)).toBe(reasonWords(reason));
  });

  it('says the issue\'s examples in words', () => {
    expect(eventWords('logout_all')).toBe('Signed out on all devices');
    expect(eventWords('password_changed')).toBe('Password changed');
    expect(detailWords('session_revoked', 'revoked_by_user')).toBe('signed out from another of your devices');
    expect(detailWords('login_succeeded', 'browser')).toBe('in a browser');
    expect(clientKindWords('native')).toBe('in an app or script');
  });

  it('falls back to readable words for codes it does not know', () => {
    expect(eventWords('admin_unlocked_account')).toBe('Admin unlocked account');
    expect(detailWords('session_revoked', 'revoked_by_robot')).toBe('revoked by robot');
    expect(detailWords('login_succeeded', 'smart_tv')).toBe('smart tv');
    expect(humanise('')).toBe('Unknown');
  });

  it('keeps details the server wrote as sentences and drops bookkeeping', () => {
    expect(detailWords('login_failed', 'wrong password')).toBe('wrong password');
    expect(detailWords('username_changed', 'alice → alice2')).toBe('alice → alice2');
    expect(detailWords('refresh_token_reused', 'generation 3 presented; current 5')).not.toMatch(/generation/);
    expect(detailWords('logout', 'logout')).toBeNull();
    expect(detailWords('logout', null)).toBeNull();
  });
});
