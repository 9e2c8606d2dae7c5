/**
 * Sign-in steps that end with a token response: the password step, the second step of a two-step
 * sign-in and a re-authentication. The client hands them the few things they need through `SignInPort`.
 */
import { toApiError } from './errors.js';
import { isTokenResponse, toSessionState } from './store.js';
import type { RotorUser, SessionState } from './types.js';

/** The second step of a two-step sign-in (`POST /auth/login/mfa`): the challenge and one of the two codes. */
export interface MfaCompletion {
  /** `MfaRequiredError.challenge` from `login`. */
  challenge: string;
  /** The 6-digit code from the authenticator app. */
  code?: string;
  /** One of the recovery codes, instead of `code`. Each works once. */
  recoveryCode?: string;
}

/** A fresh proof of the password (and the authenticator code when two-step sign-in is on). */
export interface Reauthentication {
  password: string;
  code?: string;
}

/** What the sign-in steps need from the client. */
export interface SignInPort {
  /** POSTs JSON to a path under the base URL, with credentials and `X-Requested-With`; the bearer token when given. */
  postJson(path: string, body: unknown, token?: string | null): Promise<Response>;
  now(): number;
  /** A new session: memory, other tabs, `login` event. */
  startSession(session: SessionState): void;
  /** A new access token for the current session: memory, other tabs, `refresh` event. */
  replaceAccessToken(session: SessionState): void;
  tokenForRequest(): Promise<string | null>;
  recoverFromUnauthorized(usedToken: string): Promise<string>;
}

/**
 * POSTs a sign-in step and, on 200, starts the session. A failure throws the server's error:
 * `MfaRequiredError` when the password was right but a second step is needed (no session starts).
 */
export async function signIn(port: SignInPort, path: string, body: unknown): Promise<RotorUser> {
  const response = await port.postJson(path, body);
  const receivedAt = port.now();
  if (!response.ok) throw await toApiError(response, receivedAt);
  const parsed: unknown = await response.json().catch(() => null);
  if (!isTokenResponse(parsed)) throw new TypeError('The server sent an unexpected sign-in response.');
  port.startSession(toSessionState(parsed, receivedAt));
  return parsed.user;
}

/** `POST /auth/login/mfa`: signs in exactly as `login` does. */
export function completeMfa(port: SignInPort, step: MfaCompletion): Promise<RotorUser> {
  const body: Record<string, string> = { challenge: step.challenge };
  if (step.code !== undefined) body.code = step.code;
  if (step.recoveryCode !== undefined) body.recoveryCode = step.recoveryCode;
  return signIn(port, '/auth/login/mfa', body);
}

/**
 * `POST /auth/reauthenticate` with the bearer token: a new access token with a fresh `auth_time` replaces
 * the one in memory (the refresh cookie is unchanged). A refused access token (`invalid_token`) is
 * refreshed and the call retried once; any other 401 (`invalid_credentials`, `mfa_required`,
 * `mfa_code_invalid`) goes to the caller, so a password is never sent twice for one call.
 */
export async function reauthenticate(port: SignInPort, proof: Reauthentication): Promise<RotorUser> {
  const body: Record<string, string> = { password: proof.password };
  if (proof.code !== undefined) body.code = proof.code;
  const token = await port.tokenForRequest();
  let response = await port.postJson('/auth/reauthenticate', body, token);
  let receivedAt = port.now();
  if (response.status === 401 && token !== null) {
    const refused = /invalid_token/.test(response.headers.get('WWW-Authenticate') ?? '');
    const error = await toApiError(response, receivedAt);
    if (!refused && error.code !== 'invalid_token') throw error;
    response = await port.postJson('/auth/reauthenticate', body, await port.recoverFromUnauthorized(token));
    receivedAt = port.now();
  }
  if (!response.ok) throw await toApiError(response, receivedAt);
  const parsed: unknown = await response.json().catch(() => null);
  if (!isTokenResponse(parsed)) throw new TypeError('The server sent an unexpected reauthentication response.');
  port.replaceAccessToken(toSessionState(parsed, receivedAt));
  return parsed.user;
}
