/**
 * The server calls the client makes itself (not `rotor.fetch` for the app): each one request to one endpoint,
 * answering a value or throwing the server's error. No session state lives here.
 */
import type { OtpVerification, Registration } from './contract.js';
import type { ResolvedOptions } from './defaults.js';
import { parseRetryAfter, readProblem, SessionExpiredError, toApiError } from './errors.js';
import { TransientRefreshFailure } from './refresher.js';
import { isTokenResponse, isUser, toSessionState } from './store.js';
import type { RotorUser, SessionState } from './types.js';

export class RotorApi {
  constructor(private readonly options: ResolvedOptions) {}

  /** POSTs JSON to a path under the base URL, with credentials and `X-Requested-With`; the bearer token when given. */
  postJson(path: string, body: unknown, token: string | null = null): Promise<Response> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'X-Requested-With': this.options.requestedWith,
    };
    if (token) headers.Authorization = `Bearer ${token}`;
    return this.options.fetch(this.options.urls.resolve(path), {
      method: 'POST',
      credentials: 'include',
      headers,
      body: JSON.stringify(body),
    });
  }

  /**
   * `POST /auth/refresh` with the cookie. A 401 throws `SessionExpiredError` (the session is over); a network
   * failure, time-out, 429, 503 or other 5xx throws `TransientRefreshFailure` (the session is kept).
   */
  async refresh(): Promise<SessionState> {
    const abort = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = abort ? setTimeout(() => abort.abort(), this.options.refreshTimeoutMs) : undefined;
    let response: Response;
    try {
      response = await this.options.fetch(this.options.urls.resolve('/auth/refresh'), {
        method: 'POST',
        credentials: 'include',
        headers: { Accept: 'application/json', 'X-Requested-With': this.options.requestedWith },
        ...(abort ? { signal: abort.signal } : {}),
      });
    } catch (error) {
      throw new TransientRefreshFailure(0, 'network_error', null, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    const receivedAt = this.options.now();

    if (response.ok) {
      const body: unknown = await response.json().catch(() => null);
      if (!isTokenResponse(body)) throw new TransientRefreshFailure(response.status, 'invalid_response', null);
      return toSessionState(body, receivedAt);
    }
    const problem = await readProblem(response);
    const code = typeof problem.code === 'string' && problem.code ? problem.code : `http_${response.status}`;
    // Only a 401 means the session is over; a 503, 429 or 5xx is the server's trouble.
    if (response.status === 401) {
      throw new SessionExpiredError(code, typeof problem.reason === 'string' && problem.reason ? problem.reason : null);
    }
    throw new TransientRefreshFailure(
      response.status,
      code,
      parseRetryAfter(response.headers.get('Retry-After'), receivedAt),
    );
  }

  /** `POST /auth/logout` (cookie, and the bearer token when there is one). True when the server confirmed it. */
  async logout(token: string | null): Promise<boolean> {
    try {
      const headers: Record<string, string> = { 'X-Requested-With': this.options.requestedWith };
      if (token) headers.Authorization = `Bearer ${token}`;
      const response = await this.options.fetch(this.options.urls.resolve('/auth/logout'), {
        method: 'POST',
        credentials: 'include',
        headers,
      });
      return response.ok;
    } catch {
      // Offline: the caller still forgets the token; the server session ends at its own expiry.
      return false;
    }
  }

  /** `POST /auth/register`: the new user (the server may answer without a body). */
  async register(registration: Registration): Promise<RotorUser> {
    const response = await this.postJson('/auth/register', {
      username: registration.username,
      email: registration.email,
      password: registration.password,
    });
    if (!response.ok) throw await toApiError(response, this.options.now());
    const body: unknown = await response.json().catch(() => null);
    if (isUser(body)) return body;
    return { id: '', username: registration.username, email: registration.email };
  }

  /** `POST /auth/verify-otp`: the session the server started, or null when it only verified the address. */
  async verifyOtp(verification: OtpVerification): Promise<SessionState | null> {
    const response = await this.postJson('/auth/verify-otp', {
      email: verification.email,
      code: verification.code,
    });
    const receivedAt = this.options.now();
    if (!response.ok) throw await toApiError(response, receivedAt);
    const body: unknown = await response.json().catch(() => null);
    return isTokenResponse(body) ? toSessionState(body, receivedAt) : null;
  }
}
