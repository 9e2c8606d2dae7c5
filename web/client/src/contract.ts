/** The client's public surface: what `createRotorClient` returns and the values its methods take. */
import type { MfaCompletion, Reauthentication } from './mfa.js';
import type { RotorEventMap, RotorEventName, RotorUser } from './types.js';

export interface Credentials {
  /** A username or an email address. */
  username: string;
  password: string;
}

export interface Registration {
  username: string;
  email: string;
  password: string;
}

/** Options of `logout`. */
export interface LogoutOptions {
  /**
   * Why this tab signs out, passed to the other tabs' `onSessionExpired` (`reason`) and `logout` event, e.g.
   * `password_changed` after a password reset, so they can say what happened rather than "signed out in another tab".
   */
  reason?: string;
}

export interface OtpVerification {
  email: string;
  code: string;
}

/** Hooks for adapters (such as `@rotor/client/axios`) that send requests themselves. */
export interface RotorRequestHooks {
  /** Resolves a path against the base URL. */
  resolveUrl(input: string): string;
  /** True when the URL is on the Rotor server: only those requests get credentials and the token. */
  isRotorUrl(url: string): boolean;
  /** True when a 401 from this URL must not trigger a refresh. */
  isExcluded(url: string): boolean;
  /** The `X-Requested-With` value. */
  readonly requestedWith: string;
  /** The access token to send, refreshing first when it is known to be expired; null when signed out. */
  tokenForRequest(): Promise<string | null>;
  /**
   * After a 401 on a request sent with `usedToken`: the token to retry with (one refresh shared by
   * every caller). Rejects with `SessionExpiredError` or `RefreshUnavailableError`.
   */
  recoverFromUnauthorized(usedToken: string): Promise<string>;
}

export interface RotorClient {
  /** `fetch` with the access token attached, a refresh on 401 and one retry. Same signature as `fetch`. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /**
   * Signs in with a password. Rejects with `MfaRequiredError` (`challenge`, `methods`) when the account has
   * two-step sign-in: then call `completeMfa`. Any other failure is a `RotorApiError`.
   */
  login(credentials: Credentials): Promise<RotorUser>;
  /** The second step of a two-step sign-in; signs in exactly as `login` does. */
  completeMfa(step: MfaCompletion): Promise<RotorUser>;
  /**
   * Proves the password (and the authenticator `code` when two-step sign-in is on) again, for actions
   * answered 403 `reauthentication_required`. The new access token replaces the one in memory.
   */
  reauthenticate(proof: Reauthentication): Promise<RotorUser>;
  register(registration: Registration): Promise<RotorUser>;
  /** Verifies an emailed code. Resolves to the user when the server also signed them in, else null. */
  verifyOtp(verification: OtpVerification): Promise<RotorUser | null>;
  /** Ends this session (server and every tab). Resolves true when the server confirmed it. */
  logout(options?: LogoutOptions): Promise<boolean>;
  /** Revokes every session of the user, this one included. */
  logoutEverywhere(): Promise<void>;
  /** At page load: turns the HttpOnly refresh cookie into an access token. Null when not signed in. */
  restore(): Promise<RotorUser | null>;
  /** Forces a refresh now (shares one in flight). */
  refresh(): Promise<RotorUser>;
  getUser(): RotorUser | null;
  /** When the access token stops being usable, on this machine's clock; null when signed out. */
  getAccessTokenExpiry(): Date | null;
  getSessionId(): string | null;
  isSignedIn(): boolean;
  /** Updates the cached user after the app changed it on the server (e.g. a new username). */
  updateUser(user: RotorUser): void;
  /** Turns refreshing ahead of expiry on or off. */
  setProactiveRefresh(enabled: boolean): void;
  on<K extends RotorEventName>(name: K, listener: (payload: RotorEventMap[K]) => void): () => void;
  /** For adapters that send requests themselves. */
  readonly hooks: RotorRequestHooks;
  /** Stops timers and closes the tab channel. */
  close(): void;
}
