import type { RotorUser, SessionState, TokenResponse } from './types.js';

/**
 * The tab's session, in memory only: never written to localStorage, sessionStorage, cookies or
 * IndexedDB, so a script injected later cannot read a token left behind.
 */
export class MemoryTokenStore {
  private state: SessionState | null = null;
  /** Bumped on every change; lets a waiter tell whether another tab refreshed meanwhile. */
  private gen = 0;

  get session(): SessionState | null {
    return this.state;
  }

  get generation(): number {
    return this.gen;
  }

  get accessToken(): string | null {
    return this.state?.accessToken ?? null;
  }

  set(state: SessionState): void {
    this.state = state;
    this.gen++;
  }

  setUser(user: RotorUser): void {
    if (!this.state) return;
    this.state = { ...this.state, user };
    this.gen++;
  }

  clear(): void {
    if (this.state === null) return;
    this.state = null;
    this.gen++;
  }

  /** True when there is a token and `now` is before its expiry. */
  isValid(now: number): boolean {
    return this.state !== null && now < this.state.expiresAt;
  }
}

/**
 * Turns a token response into session state. Expiry is measured from `receivedAt` (the moment the
 * response arrived, on this machine's clock) plus `expiresIn`: never the JWT's `exp` against the
 * local clock, which may be skewed.
 */
export function toSessionState(body: TokenResponse, receivedAt: number): SessionState {
  return {
    accessToken: body.accessToken,
    expiresAt: receivedAt + body.expiresIn * 1000,
    receivedAt,
    sessionId: body.sessionId ?? null,
    user: body.user,
  };
}

/** Checks that a parsed body looks like a token response before trusting it. */
export function isTokenResponse(value: unknown): value is TokenResponse {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.accessToken === 'string' &&
    v.accessToken.length > 0 &&
    typeof v.expiresIn === 'number' &&
    Number.isFinite(v.expiresIn) &&
    v.expiresIn > 0 &&
    isUser(v.user)
  );
}

export function isUser(value: unknown): value is RotorUser {
  if (!value || typeof value !== 'object') return false;
  const u = value as Record<string, unknown>;
  return typeof u.id === 'string' && typeof u.username === 'string' && typeof u.email === 'string';
}
