/** The signed-in user as Rotor's server describes it. */
export interface RotorUser {
  id: string;
  username: string;
  email: string;
}

/** The body of a successful `POST /auth/login`, `/auth/refresh` or `/auth/verify-otp`. */
export interface TokenResponse {
  accessToken: string;
  tokenType: string;
  /** Seconds the access token stays valid, counted from the moment the response is sent. */
  expiresIn: number;
  expiresAt?: string;
  sessionId?: string;
  user: RotorUser;
}

/** What the client keeps in memory for a signed-in tab. Never persisted. */
export interface SessionState {
  accessToken: string;
  /**
   * Epoch milliseconds, on this machine's clock, at which the access token stops being usable:
   * the moment the token response arrived plus `expiresIn`. Never derived from the JWT's `exp`,
   * so a skewed local clock does not matter.
   */
  expiresAt: number;
  /** Epoch ms at which the token response arrived; with `expiresAt` it gives the token's lifetime. */
  receivedAt: number;
  sessionId: string | null;
  user: RotorUser;
}

/** Why a refresh was made; carried by the `refresh` event. */
export type RefreshReason =
  | 'proactive'
  | 'unauthorized'
  | 'expired'
  | 'restore'
  | 'manual'
  | 'broadcast'
  /** `reauthenticate` replaced the access token (fresh `auth_time`; the refresh token is unchanged). */
  | 'reauthenticate';

export interface RefreshEvent {
  reason: RefreshReason;
  /** When the new access token stops being usable. */
  expiresAt: Date;
  /** When the refresh completed. */
  at: Date;
}

export interface RefreshFailedEvent {
  error: Error;
  /** When the next refresh may be attempted. */
  retryAt: Date;
}

export interface SessionExpiredInfo {
  /** The server's problem `code` (e.g. `refresh_token_expired`), or `signed_out_elsewhere`. */
  code: string;
  /**
   * What really happened, when known: the server's revocation reason for `session_revoked` (`logout_all`,
   * `password_changed`, `revoked_by_user`, …), or the reason the tab that signed out gave (`logout(…)`).
   * Absent otherwise.
   */
  reason?: string;
}

export interface LoginEvent {
  user: RotorUser;
  /** `local` when this tab signed in, `remote` when another tab did and shared its token. */
  source: 'local' | 'remote';
}

export interface LogoutEvent {
  /** `local`: this tab; `everywhere`: this tab, every session revoked; `remote`: another tab. */
  source: 'local' | 'everywhere' | 'remote';
  /** Why, when the tab that signed out said (`logout({ reason })`; `logout_all` for `logoutEverywhere`). */
  reason?: string;
}

/** Events a client emits; subscribe with `client.on(name, callback)`. */
export interface RotorEventMap {
  login: LoginEvent;
  refresh: RefreshEvent;
  refreshFailed: RefreshFailedEvent;
  sessionExpired: SessionExpiredInfo;
  logout: LogoutEvent;
  /** Anything about the sign-in state changed (user, token expiry). Handy for `useSyncExternalStore`. */
  change: undefined;
}

export type RotorEventName = keyof RotorEventMap;

/** The subset of the Web Locks API the client uses, so tests and old browsers can supply their own. */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: unknown) => Promise<T> | T,
  ): Promise<T>;
}

/** Page visibility, injectable for tests. */
export interface VisibilitySource {
  isVisible(): boolean;
  /** Calls `listener` when visibility changes; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** A factory for the cross-tab channel; defaults to `BroadcastChannel` where it exists. */
export type ChannelFactory = (name: string) => ChannelLike | null;

export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export interface BackoffOptions {
  /** First delay after a failed refresh, in milliseconds. Default 1000. */
  initialMs?: number;
  /** Upper bound of the delay, in milliseconds. Default 30000. */
  maxMs?: number;
}

export interface RotorClientOptions {
  /** Origin (and optional path prefix) of the Rotor server, e.g. `https://auth.example.com` or `location.origin`. */
  baseUrl: string;
  /**
   * Called once when the session ends without the user asking (refresh answered 401, or another
   * tab signed out). Default: `location.assign('/login')`.
   */
  onSessionExpired?: (info: SessionExpiredInfo) => void;
  /**
   * How long before expiry a proactive refresh happens, in milliseconds. Default 30000.
   * Capped at a third of the token's lifetime so very short tokens are not refreshed in a loop.
   */
  refreshMargin?: number;
  /** Refresh ahead of expiry while the tab is visible. Default true. */
  proactiveRefresh?: boolean;
  /** Paths (relative to `baseUrl`) whose 401 never triggers a refresh. */
  excludedPaths?: string[];
  /** The `fetch` to use. Default: the global one. */
  fetch?: typeof fetch;
  /** Value of the `X-Requested-With` header (the server's CSRF rule). Default `rotor`. */
  requestedWith?: string;
  /** Name of the Web Lock and BroadcastChannel. Default `rotor:` + the base URL. */
  channelName?: string;
  /** Longest wait for the cross-tab lock before refreshing without it, in ms. Default 5000. */
  lockTimeoutMs?: number;
  /**
   * After a refresh, keep the cross-tab lock this long (ms) so the other tabs receive the shared
   * token before one of them takes the lock and refreshes again. Default 25.
   */
  lockHandoffMs?: number;
  /** Abort a refresh request that takes longer than this, in ms. Default 15000. */
  refreshTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Web Locks implementation; `null` disables locking. Default: `navigator.locks` where present. */
  locks?: LockManagerLike | null;
  /** Cross-tab channel; `null` disables sharing. Default: `BroadcastChannel` where present. */
  channel?: ChannelFactory | null;
  /** Page visibility. Default: `document.visibilityState`, or always visible without a document. */
  visibility?: VisibilitySource;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}
