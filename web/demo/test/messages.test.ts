import {
  MfaRequiredError,
  ReauthenticationRequiredError,
  RefreshUnavailableError,
  RotorApiError,
  SessionExpiredError,
} from '@rotor/client';
import { describe, expect, it } from 'vitest';
import { fieldErrors, messageFor, messageForCode, placeError } from '../src/messages';

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

describe('errors said once', () => {
  it('puts a field error at its field and not in the banner', () => {
    const error = new RotorApiError(400, { code: 'validation_failed', errors: { newPassword: ['Too common.'] } }, null);
    expect(placeError(error, ['newpassword', 'confirm'])).toEqual({ banner: null, fields: { newpassword: 'Too common.' } });
  });

  it('says "already taken" once, at the field, though the server sends no field errors', () => {
    const taken = new RotorApiError(409, { code: 'username_taken' }, null);
    const placed = placeError(taken, ['username', 'email', 'password', 'confirm']);
    expect(placed.banner).toBeNull();
    expect(Object.values(placed.fields)).toEqual([messageForCode('username_taken')]);
  });

  it('uses the banner for errors of no field, and for fields the form does not have', () => {
    expect(placeError(new RotorApiError(401, { code: 'invalid_credentials' }, null), ['username', 'password'])).toEqual({
      banner: messageForCode('invalid_credentials'),
      fields: {},
    });
    const elsewhere = new RotorApiError(400, { code: 'validation_failed', errors: { mode: ['Unknown mode.'] } }, null);
    expect(placeError(elsewhere, ['username'])).toEqual({ banner: 'Unknown mode.', fields: {} });
  });

  it('says a lockout ends with a password reset', () => {
    expect(messageFor(new RotorApiError(423, { code: 'locked_out' }, 600))).toMatch(
      /Try again in 10 minutes\. Resetting your password unlocks it at once\.$/,
    );
    expect(messageForCode('locked_out')).toMatch(/Resetting your password unlocks it/);
  });
});
