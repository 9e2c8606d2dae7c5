/**
 * What the login page says about why the user is there. The reason travels in the URL (`/login?reason=…`), so the
 * page says the same after a reload, and it stays until the user acts (signs in, or the page drops it).
 */
import type { SessionExpiredInfo } from '@rotor/client';
import { messageForCode } from './messages';

/** Sentences for the reasons a session ends, by the key the URL carries. */
const ENDINGS: Record<string, string> = {
  // This tab's own sign-outs.
  signed_out: 'You are signed out.',
  signed_out_everywhere: 'You signed out on all devices.',
  password_reset: 'Your password was changed and every session signed out. Log in with the new password.',
  // Another tab, another device, or the server.
  signed_out_elsewhere: 'You signed out in another tab.',
  logout_all: 'You signed out on all devices, so this session was signed out too. Please log in again.',
  password_changed: 'Your password was changed, so every session was signed out. Log in with the new password.',
  revoked_by_user: 'This session was signed out from another of your devices. Please log in again.',
  revoked_by_admin: 'This session was signed out by an administrator. Please log in again.',
  locked_by_admin: 'An administrator locked this account, so its sessions were signed out. Contact the site to unlock it.',
  replaced_by_login: 'This session was replaced by a newer sign-in in this browser. Please log in again.',
  mfa_enabled: 'Two-step sign-in was turned on, so sessions that signed in with the password alone were ended. Please log in again.',
  email_changed: "The account's email address was changed, so its other sessions were signed out. Please log in again.",
  account_changed:
    'This account can no longer use this session: it was locked or removed, or its password was changed elsewhere. Please log in again.',
  // The cookie was gone when the session was next used: the browser dropped it at the session's end.
  refresh_token_missing: 'Your session has ended. Please log in again.',
  logout: 'This session was signed out. Please log in again.',
};

/** The URL key for a session that ended: what really happened when known, else the server's code. */
export function endingKey(info: SessionExpiredInfo): string {
  return info.reason ?? info.code;
}

/** The sentence for a `?reason=` key; unknown keys read as the server's code would. */
export function endingMessage(key: string): string {
  return ENDINGS[key] ?? messageForCode(key);
}

export interface Notice {
  kind: 'info' | 'success';
  text: string;
}

/** The one notice the login page opens with, from its URL: a reset, a verified address, or why the session ended. */
export function arrivalNotice(search: URLSearchParams): Notice | null {
  if (search.get('reset') === '1') return { kind: 'success', text: endingMessage('password_reset') };
  if (search.get('verified') === '1') return { kind: 'success', text: 'Email verified. You can log in now.' };
  const reason = search.get('reason');
  return reason ? { kind: 'info', text: endingMessage(reason) } : null;
}

/** The login URL without what the arrival notice came from, once the user has acted on the page. */
export function withoutArrival(pathname: string, search: URLSearchParams): string {
  const kept = new URLSearchParams(search);
  for (const key of ['reason', 'reset', 'verified']) kept.delete(key);
  const query = kept.toString();
  return query ? `${pathname}?${query}` : pathname;
}
