import { RefreshUnavailableError, RotorApiError, SessionExpiredError } from '@rotor/client';

/** What a person should read for each stable error code the Rotor server can send. */
const MESSAGES: Record<string, string> = {
  invalid_credentials: 'That username or password is not right. Check both and try again.',
  locked_out: 'Too many failed attempts: this account is locked for now.',
  email_not_verified: 'Please verify your email address first: enter the code we emailed you.',
  validation_failed: 'Some fields need attention.',
  invalid_request: 'The request was not understood. Reload the page and try again.',
  username_taken: 'That username is already taken. Try another.',
  email_taken: 'An account with that email already exists. Log in, or reset your password.',
  rate_limited: 'Too many attempts in a short time.',
  csrf_rejected: 'The request was refused as a possible cross-site request. Reload the page and try again.',
  refresh_token_missing: 'You are not signed in.',
  refresh_token_invalid: 'Your session is no longer valid. Please log in again.',
  refresh_token_expired: 'Your session has expired. Please log in again.',
  session_revoked: 'This session was signed out, from another device or by a password change. Please log in again.',
  refresh_token_reused:
    'For your safety this session was ended: a sign-in token was used twice, which can mean it was copied. Please log in again.',
  signed_out_elsewhere: 'You signed out in another tab.',
  signed_out: 'You are signed out.',
  session_ended: 'Your session has ended. Please log in again.',
  invalid_token: 'Your sign-in has expired. Please log in again.',
  session_not_found: 'That session no longer exists; it may have ended already.',
  method_not_allowed: 'That action is not allowed here.',
  request_too_large: 'What you sent is too large.',
  unsupported_media_type: 'The request was sent in a format the server does not accept.',
  service_unavailable: 'The server is temporarily unavailable. Please try again in a moment.',
  server_error: 'Something went wrong on the server. Please try again.',
  not_found: 'Not found.',
  // Account lifecycle (verification codes, password reset and change).
  otp_invalid: 'That code is not right. Check the latest email and try again.',
  invalid_otp: 'That code is not right. Check the latest email and try again.',
  invalid_code: 'That code is not right. Check the latest email and try again.',
  otp_expired: 'That code has expired. Send a new one.',
  code_expired: 'That code has expired. Send a new one.',
  otp_attempts_exceeded: 'Too many wrong codes. Send a new code and try again.',
  too_many_attempts: 'Too many wrong attempts. Send a new code and try again.',
  already_verified: 'This email address is already verified. You can log in.',
  email_already_verified: 'This email address is already verified. You can log in.',
  reset_token_invalid: 'This reset link is not valid. Ask for a new one.',
  reset_token_expired: 'This reset link has expired. Ask for a new one.',
  reset_token_used: 'This reset link has already been used. Ask for a new one.',
  invalid_reset_token: 'This reset link is not valid or has expired. Ask for a new one.',
  password_too_short: 'The password needs at least 8 characters.',
  password_too_long: 'That password is too long.',
  password_too_common: 'That password is too common; choose one that is harder to guess.',
  password_breached: 'That password is too common; choose one that is harder to guess.',
  invalid_password: 'The current password is not right.',
  current_password_invalid: 'The current password is not right.',
  wrong_password: 'The current password is not right.',
  same_username: 'That is already your username.',
  network_error: 'The server could not be reached. Check your connection and try again.',
  // Accounts that can no longer sign in, two-step sign-in and recent sign-in checks.
  account_unavailable:
    'This account can no longer use this session: it was locked or removed, or its password was changed elsewhere. Please log in again.',
  account_not_confirmed: 'This account is not confirmed yet. Confirm it with the message we sent you, then log in.',
  mfa_required: 'Enter the 6-digit code from your authenticator app.',
  mfa_code_invalid:
    'That code is not right. Enter the newest code from your authenticator app (it changes every 30 seconds), or a recovery code you have not used.',
  mfa_challenge_invalid: 'That sign-in took too long or had too many wrong codes. Enter your password again to start over.',
  reauthentication_required: 'For your safety, confirm your password before making this change.',
};

function withRetry(text: string, seconds: number | null): string {
  if (seconds === null || seconds <= 0) return text;
  const when = seconds < 90 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
  return `${text} Try again in ${when}.`;
}

/** Said with every lockout: the way out that does not wait (the login page links to it). */
export const LOCKOUT_WAY_OUT = 'Resetting your password unlocks it at once.';

export function messageForCode(code: string, detail?: string): string {
  const text = MESSAGES[code] ?? detail ?? 'Something went wrong. Please try again.';
  return code === 'locked_out' ? `${text} ${LOCKOUT_WAY_OUT}` : text;
}

/** A sentence for any error the app can meet: server problems, session ends, network failures. */
export function messageFor(error: unknown): string {
  if (error instanceof RotorApiError) {
    const known = MESSAGES[error.code];
    if (error.code === 'locked_out') return `${withRetry(known!, error.retryAfter)} ${LOCKOUT_WAY_OUT}`;
    if (known) return withRetry(known, error.retryAfter);
    if (error.problem.detail) return withRetry(error.problem.detail, error.retryAfter);
    return withRetry(messageForStatus(error.status), error.retryAfter);
  }
  if (error instanceof SessionExpiredError) return messageForCode(error.code);
  if (error instanceof RefreshUnavailableError) {
    const seconds = Math.max(1, Math.ceil((error.retryAt.getTime() - Date.now()) / 1000));
    return error.status === 0
      ? `The server could not be reached. You are still signed in; trying again in ${seconds} s.`
      : `The sign-in server is busy (${error.status}). You are still signed in; trying again in ${seconds} s.`;
  }
  if (error instanceof TypeError) return MESSAGES.network_error!;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}

export function messageForStatus(status: number): string {
  if (status === 400) return 'The request was not accepted. Check the fields and try again.';
  if (status === 401) return 'Please log in again.';
  if (status === 403) return 'You are not allowed to do that.';
  if (status === 404) return 'Not found.';
  if (status === 409) return 'That conflicts with something that already exists.';
  if (status === 429) return 'Too many attempts in a short time.';
  if (status >= 500) return 'The server is having trouble. Please try again in a moment.';
  return `The request failed (${status}).`;
}

/** Per-field messages from a `validation_failed` problem, keyed by lower-cased field name. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof RotorApiError)) return {};
  const result: Record<string, string> = {};
  for (const [field, messages] of Object.entries(error.fieldErrors)) {
    const key = field.replace(/^\$\./, '').toLowerCase();
    if (Array.isArray(messages) && messages.length > 0) result[key] = messages.join(' ');
  }
  return result;
}

/** Codes about one field, though the server sends them without per-field errors: said at that field. */
const FIELD_FOR_CODE: Record<string, string> = {
  username_taken: 'username',
  email_taken: 'email',
};

export interface PlacedError {
  /** The form-level message, or null when every message is at its field. */
  banner: string | null;
  /** Messages by lower-cased field name, only for fields the form has. */
  fields: Record<string, string>;
}

/**
 * Where an error is said, once: at the fields the form has (`present`, lower-cased input names), otherwise in the
 * banner. Never both for the same message.
 */
export function placeError(error: unknown, present: readonly string[]): PlacedError {
  const all = fieldErrors(error);
  const own = error instanceof RotorApiError ? FIELD_FOR_CODE[error.code] : undefined;
  if (own && !all[own]) all[own] = messageFor(error);
  const fields: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const [field, text] of Object.entries(all)) {
    if (present.includes(field)) fields[field] = text;
    else elsewhere.push(text);
  }
  if (Object.keys(fields).length === 0) return { banner: elsewhere.length ? elsewhere.join(' ') : messageFor(error), fields };
  return { banner: elsewhere.length ? elsewhere.join(' ') : null, fields };
}
