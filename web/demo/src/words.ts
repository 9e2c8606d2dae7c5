/**
 * Human words for the codes the server writes into the security log: event types, revocation reasons and client
 * kinds. The one place these live; a code not listed here still reads as words ("some_new_code" → "Some new code").
 */

/** What happened, by security-log event type. */
const EVENTS: Record<string, string> = {
  login_succeeded: 'Signed in',
  login_failed: 'Failed sign-in attempt',
  locked_out: 'Account locked after failed attempts',
  logout: 'Signed out',
  logout_all: 'Signed out on all devices',
  session_revoked: 'Session ended',
  refresh_token_reused: 'Token reuse detected: session ended',
  password_changed: 'Password changed',
  password_reset: 'Password reset with an emailed link',
  password_reset_requested: 'Password reset requested',
  email_verified: 'Email address verified',
  email_changed: 'Email address changed',
  username_changed: 'Username changed',
  registered: 'Account created',
  otp_failed: 'Wrong verification code',
  mfa_enabled: 'Two-step sign-in turned on',
  mfa_disabled: 'Two-step sign-in turned off',
  mfa_failed: 'Wrong authenticator or recovery code',
  authenticator_reset: 'New authenticator key requested',
  recovery_codes_regenerated: 'New recovery codes made',
  recovery_code_used: 'Signed in with a recovery code',
  reauthenticated: 'Password confirmed for a sensitive change',
  admin_session_revoked: 'An administrator signed out a session',
  admin_sessions_revoked: 'An administrator signed out every session',
  admin_locked: 'An administrator locked the account',
  admin_unlocked: 'An administrator unlocked the account',
  admin_viewed: 'An administrator looked at the account',
};

/** Why a session ended (the server's revocation reasons), as the end of "Session ended: …". */
const REASONS: Record<string, string> = {
  logout: 'signed out',
  logout_all: 'you signed out on all devices',
  revoked_by_user: 'signed out from another of your devices',
  revoked_by_admin: 'signed out by an administrator',
  locked_by_admin: 'an administrator locked the account',
  refresh_token_reused: 'a sign-in token was used twice',
  replaced_by_login: 'a new sign-in in the same browser replaced it',
  password_changed: 'the password was changed',
  account_changed: 'the account was locked, removed or changed elsewhere',
  mfa_enabled: 'two-step sign-in was turned on',
  email_changed: 'the email address was changed',
};

/** How the session's client holds its tokens (the sign-in's detail). */
const CLIENT_KINDS: Record<string, string> = {
  browser: 'in a browser',
  native: 'in an app or script',
};

const CODE = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$|^[a-z]+$/;

/** "some_new_code" → "Some new code": an unknown code still reads as words, never as an identifier. */
export function humanise(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Unknown';
}

/** The event's name for people. A revocation reported as its own type (`logout_all`) reads like the event. */
export function eventWords(type: string): string {
  return EVENTS[type] ?? humanise(type);
}

export function reasonWords(reason: string): string {
  return REASONS[reason] ?? humanise(reason).toLowerCase();
}

export function clientKindWords(kind: string): string {
  return CLIENT_KINDS[kind] ?? humanise(kind).toLowerCase();
}

/**
 * The event's detail for people, or null when it adds nothing: a client kind for a sign-in, a reason for an ended
 * session, nothing for token-generation bookkeeping; free text the server already wrote as words passes through.
 */
export function detailWords(type: string, detail: string | null | undefined): string | null {
  if (!detail) return null;
  if (type === 'login_succeeded') return clientKindWords(detail);
  if (type === 'refresh_token_reused') return 'an older copy of a sign-in token was presented';
  if (type === 'logout' && detail === 'logout') return null;
  if (type === 'session_revoked' || type === 'logout') return reasonWords(detail);
  // Codes read as words; sentences ("wrong password", "alice → alice2") are already words.
  return CODE.test(detail) ? (REASONS[detail] ?? CLIENT_KINDS[detail] ?? humanise(detail).toLowerCase()) : detail;
}
