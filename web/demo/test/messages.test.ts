import {
  MfaRequiredError,
  ReauthenticationRequiredError,
  RefreshUnavailableError,
  RotorApiError,
  SessionExpiredError,
} from '@rotor/client';
import { describe, expect, it } from 'vitest';
import { fieldErrors, messageFor, messageForCode } from '../src/messages';

const SERVER_CODES = [
  'invalid_request',
  'validation_failed',
  'username_taken',
  'email_taken',
  'invalid_credentials',
  'locked_out',
  'email_not_verified',
  'rate_limited',
  'refresh_token_missing',
  'refresh_token_invalid',
  'refresh_token_expired',
  'session_revoked',
  'refresh_token_reused',
  'invalid_token',
  'csrf_rejected',
  'session_not_found',
  'method_not_allowed',
  'request_too_large',
  'unsupported_media_type',
  'service_unavailable',
  'server_error',
  'account_unavailable',
  'account_not_confirmed',
  'mfa_required',
  'mfa_code_invalid',
  'mfa_challenge_invalid',
  'reauthentication_required',
];

describe('messages', () => {
  it.each(SERVER_CODES)('has a human sentence for %s', (code) => {
    const text = messageForCode(code);
    expect(text).not.toContain('_');
    expect(text.length).toBeGreaterThan(10);
  });

  it('adds the Retry-After wait for rate limits and lockouts', () => {
    const error = new RotorApiError(429, { code: 'rate_limited' }, 30);
    expect(messageFor(error)).toBe('Too many attempts in a short time. Try again in 30 seconds.');
    const locked = new RotorApiError(423, { code: 'locked_out' }, 600);
    expect(messageFor(locked)).toContain('10 minutes');
  });

  it("falls back to the server's detail, then to the status", () => {
    expect(messageFor(new RotorApiError(400, { code: 'brand_new_code', detail: 'Do this instead.' }, null))).toBe(
      'Do this instead.',
    );
    expect(messageFor(new RotorApiError(502, {}, null))).toMatch(/server is having trouble/);
  });

  it('explains session ends, refresh outages and network failures', () => {
    expect(messageFor(new SessionExpiredError('refresh_token_reused'))).toMatch(/used twice/);
    const outage = new RefreshUnavailableError(503, 'service_unavailable', new Date(Date.now() + 5000));
    expect(messageFor(outage)).toMatch(/still signed in/);
    expect(messageFor(new TypeError('Failed to fetch'))).toMatch(/could not be reached/);
  });

  it('words the two-step sign-in and recent sign-in errors for people', () => {
    const mfa = new MfaRequiredError(401, { code: 'mfa_required', challenge: 'c', methods: ['totp'] }, null);
    expect(messageFor(mfa)).toMatch(/authenticator app/);
    expect(messageFor(new RotorApiError(401, { code: 'mfa_code_invalid', detail: 'Invalid code.' }, null))).toMatch(
      /not right/,
    );
    expect(messageFor(new RotorApiError(401, { code: 'mfa_challenge_invalid' }, null))).toMatch(/password again/);
    expect(messageFor(new ReauthenticationRequiredError(403, { code: 'reauthentication_required' }, null))).toMatch(
      /confirm your password/,
    );
    // A session ended because the account changed: the login page explains it from ?reason=.
    expect(messageForCode('account_unavailable')).toMatch(/log in again/);
    expect(messageFor(new SessionExpiredError('account_unavailable'))).toBe(messageForCode('account_unavailable'));
    expect(messageFor(new RotorApiError(403, { code: 'account_not_confirmed' }, null))).toMatch(/not confirmed/);
  });

  it('maps validation errors to fields', () => {
    const error = new RotorApiError(
      400,
      { code: 'validation_failed', errors: { Username: ['Too short.'], password: ['Too common.', 'Too short.'] } },
      null,
    );
    expect(fieldErrors(error)).toEqual({ username: 'Too short.', password: 'Too common. Too short.' });
  });
});
