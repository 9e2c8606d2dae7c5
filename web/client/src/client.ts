import { defaultChannelFactory, TabBroadcast, type TabMessage } from './broadcast.js';
import { Emitter } from './emitter.js';
import {
  parseRetryAfter,
  readProblem,
  SessionExpiredError,
  toApiError,
} from './errors.js';
import { defaultLocks, withLock } from './lock.js';
import {
  completeMfa,
  reauthenticate,
  signIn,
  type MfaCompletion,
  type Reauthentication,
  type SignInPort,
} from './mfa.js';
import { Refresher, TransientRefreshFailure } from './refresher.js';
import { isTokenResponse, isUser, MemoryTokenStore, toSessionState } from './store.js';
import type {
  LockManagerLike,
  RefreshReason,
  RotorClientOptions,
  RotorEventMap,
  RotorEventName,
  RotorUser,
  SessionState,
  VisibilitySource,
} from './types.js';
import { isRequest } from './target.js';
import { RotorUrls } from './urls.js';
import { defaultVisibility } from './visibility.js';

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
  logout(): Promise<boolean>;
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

const DEFAULT_REFRESH_MARGIN_MS = 30_000;

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function defaultOnSessionExpired(): void {
  const loc = (globalThis as { location?: Location }).location;
  if (loc && loc.pathname !== '/login') loc.assign('/login');
}

/** Creates a client for one Rotor server. One per page; tabs coordinate among themselves. */
export function createRotorClient(options: RotorClientOptions): RotorClient {
  return new RotorClientImpl(options);
}

class RotorClientImpl implements RotorClient {
  private readonly urls: RotorUrls;
  private readonly store = new MemoryTokenStore();
  private readonly emitter = new Emitter();
  private readonly refresher: Refresher;
  private readonly broadcast: TabBroadcast;
  private readonly locks: LockManagerLike | null;
  private readonly visibility: VisibilitySource;
  private readonly unsubscribeVisibility: () => void;
  private readonly now: () => number;
  private readonly fetchImpl: typeof fetch;
  private readonly lockName: string;
  private readonly requestedWith: string;
  private proactive: boolean;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Set when `onSessionExpired` has been called for the current session; cleared by a new one. */
  private expiryNotified = false;
  /** The code that ended the last session, for requests that were in the air when it ended. */
  private lastEndCode = 'session_ended';
  private closed = false;
  readonly hooks: RotorRequestHooks;
  private readonly signInPort: SignInPort;

  constructor(private readonly options: RotorClientOptions) {
    if (!options || typeof options.baseUrl !== 'string') {
      throw new TypeError('createRotorClient: options.baseUrl is required, e.g. location.origin.');
    }
    this.urls = new RotorUrls(options.baseUrl, options.excludedPaths);
    this.now = options.now ?? (() => Date.now());
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.requestedWith = options.requestedWith ?? 'rotor';
    this.proactive = options.proactiveRefresh ?? true;
    const channelName = options.channelName ?? `rotor:${this.urls.resolve('/')}`;
    this.lockName = `${channelName}:refresh`;
    this.locks = options.locks === undefined ? defaultLocks() : options.locks;
    this.refresher = new Refresher({
      now: this.now,
      initialBackoffMs: options.backoff?.initialMs ?? 1000,
      maxBackoffMs: options.backoff?.maxMs ?? 30_000,
      onBackoff: (error) => {
        this.emitter.emit('refreshFailed', { error, retryAt: error.retryAt });
        this.schedule();
      },
    });
    this.broadcast = new TabBroadcast(
      options.channel === undefined ? defaultChannelFactory() : options.channel,
      channelName,
      (message) => this.onTabMessage(message),
    );
    this.visibility = options.visibility ?? defaultVisibility();
    this.unsubscribeVisibility = this.visibility.subscribe(() => this.schedule());

    this.hooks = {
      resolveUrl: (input) => this.urls.resolve(input),
      isRotorUrl: (url) => this.urls.isRotor(url),
      isExcluded: (url) => this.urls.isExcluded(url),
      requestedWith: this.requestedWith,
      tokenForRequest: () => this.tokenForRequest(),
      recoverFromUnauthorized: (usedToken) => this.recoverFromUnauthorized(usedToken),
    };
    this.signInPort = {
      postJson: (path, body, token) => this.postJson(path, body, token),
      now: this.now,
      startSession: (session) => this.startSession(session),
      replaceAccessToken: (session) => {
        if (!this.store.session) throw new SessionExpiredError(this.lastEndCode);
        this.applyRefreshed(session, 'reauthenticate');
      },
      tokenForRequest: () => this.tokenForRequest(),
      recoverFromUnauthorized: (usedToken) => this.recoverFromUnauthorized(usedToken),
    };
  }

  // ---- public API -------------------------------------------------------------------------

  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    // A Request carries its absolute URL; anything else (a URL of another frame too) is read through
    // String() as fetch reads it, and the resolved URL is what is sent: the decision is on the real target.
    const request = isRequest(input) ? input : null;
    const url = request ? request.url : this.urls.resolve(String(input));
    if (!this.urls.isRotor(url)) {
      // Another server: never send it the token or the cookie.
      return this.fetchImpl(request ?? url, init);
    }

    const base = new Request(request ?? url, { ...init, credentials: 'include' });
    if (!base.headers.has('X-Requested-With')) base.headers.set('X-Requested-With', this.requestedWith);

    // Excluded endpoints and requests that carry their own Authorization are sent as they are.
    if (this.urls.isExcluded(url) || base.headers.has('Authorization')) {
      return this.fetchImpl(base);
    }

    const token = await this.tokenForRequest();
    const response = await this.send(base, token);
    if (response.status !== 401 || token === null) return response;

    const retryToken = await this.recoverFromUnauthorized(token);
    // Exactly one retry: a second 401 goes back to the caller, never into another refresh.
    return this.send(base, retryToken);
  }

  login({ username, password }: Credentials): Promise<RotorUser> {
    return signIn(this.signInPort, '/auth/login', { username, password });
  }

  completeMfa(step: MfaCompletion): Promise<RotorUser> {
    return completeMfa(this.signInPort, step);
  }

  reauthenticate(proof: Reauthentication): Promise<RotorUser> {
    return reauthenticate(this.signInPort, proof);
  }

  async register(registration: Registration): Promise<RotorUser> {
    const response = await this.postJson('/auth/register', {
      username: registration.username,
      email: registration.email,
      password: registration.password,
    });
    if (!response.ok) throw await toApiError(response, this.now());
    const body: unknown = await response.json().catch(() => null);
    if (isUser(body)) return body;
    return { id: '', username: registration.username, email: registration.email };
  }

  async verifyOtp(verification: OtpVerification): Promise<RotorUser | null> {
    const response = await this.postJson('/auth/verify-otp', {
      email: verification.email,
      code: verification.code,
    });
    const receivedAt = this.now();
    if (!response.ok) throw await toApiError(response, receivedAt);
    const body: unknown = await response.json().catch(() => null);
    if (isTokenResponse(body)) {
      this.startSession(toSessionState(body, receivedAt));
      return body.user;
    }
    return null;
  }

  async logout(): Promise<boolean> {
    const token = this.store.accessToken;
    let confirmed = false;
    try {
      const headers: Record<string, string> = { 'X-Requested-With': this.requestedWith };
      if (token) headers.Authorization = `Bearer ${token}`;
      const response = await this.fetchImpl(this.urls.resolve('/auth/logout'), {
        method: 'POST',
        credentials: 'include',
        headers,
      });
      confirmed = response.ok;
    } catch {
      // Offline: still forget the token here; the server session ends at its own expiry.
    }
    this.signOutLocally('local');
    return confirmed;
  }

  async logoutEverywhere(): Promise<void> {
    const response = await this.fetch('/auth/logout-all', { method: 'POST' });
    if (!response.ok) throw await toApiError(response, this.now());
    this.signOutLocally('everywhere');
  }

  async restore(): Promise<RotorUser | null> {
    const current = this.store.session;
    if (current && current.expiresAt > this.now()) return current.user;
    try {
      const session = await this.refreshSession('restore');
      return session.user;
    } catch (error) {
      // Not signed in (no cookie, or it no longer works): a normal state at page load.
      if (error instanceof SessionExpiredError) return null;
      throw error;
    }
  }

  async refresh(): Promise<RotorUser> {
    return (await this.refreshSession('manual')).user;
  }

  getUser(): RotorUser | null {
    return this.store.session?.user ?? null;
  }

  getAccessTokenExpiry(): Date | null {
    const session = this.store.session;
    return session ? new Date(session.expiresAt) : null;
  }

  getSessionId(): string | null {
    return this.store.session?.sessionId ?? null;
  }

  isSignedIn(): boolean {
    return this.store.session !== null;
  }

  updateUser(user: RotorUser): void {
    this.store.setUser(user);
    this.emitter.emit('change', undefined);
  }

  setProactiveRefresh(enabled: boolean): void {
    this.proactive = enabled;
    this.schedule();
  }

  on<K extends RotorEventName>(name: K, listener: (payload: RotorEventMap[K]) => void): () => void {
    return this.emitter.on(name, listener);
  }

  close(): void {
    this.closed = true;
    this.cancelTimer();
    this.unsubscribeVisibility();
    this.broadcast.close();
    this.emitter.clear();
  }

  // ---- requests ---------------------------------------------------------------------------

  private send(base: Request, token: string | null): Promise<Response> {
    const request = base.clone();
    if (token === null) return this.fetchImpl(request);
    const headers = new Headers(request.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return this.fetchImpl(new Request(request, { headers }));
  }

  private postJson(path: string, body: unknown, token: string | null = null): Promise<Response> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'X-Requested-With': this.requestedWith,
    };
    if (token) headers.Authorization = `Bearer ${token}`;
    return this.fetchImpl(this.urls.resolve(path), {
      method: 'POST',
      credentials: 'include',
      headers,
      body: JSON.stringify(body),
    });
  }

  private async tokenForRequest(): Promise<string | null> {
    const session = this.store.session;
    if (!session) return null;
    if (session.expiresAt > this.now()) return session.accessToken;
    // Known to be expired by our own measure: refresh first rather than collect a 401.
    return (await this.refreshSession('expired')).accessToken;
  }

  private async recoverFromUnauthorized(usedToken: string): Promise<string> {
    const session = this.store.session;
    if (!session) {
      // The session ended while this request was in the air.
      throw new SessionExpiredError(this.lastEndCode);
    }
    if (session.accessToken !== usedToken && session.expiresAt > this.now()) {
      // Someone (this tab or another) refreshed after this request left: no new refresh.
      return session.accessToken;
    }
    return (await this.refreshSession('unauthorized')).accessToken;
  }

  // ---- refresh ----------------------------------------------------------------------------

  private refreshSession(reason: RefreshReason): Promise<SessionState> {
    return this.refresher.refresh(async () => {
      const hadSession = this.store.session !== null;
      const generation = this.store.generation;
      try {
        return await withLock(this.locks, this.lockName, this.options.lockTimeoutMs ?? 5000, async () => {
          const result = await this.refreshUnderLock(generation, hadSession);
          if (result.adopted) return result.session;
          // Store and share the token while still holding the lock, then hold it a moment longer
          // so the other tabs receive the new token before one of them gets the lock and looks.
          this.applyRefreshed(result.session, reason);
          if (this.locks) await delay(this.options.lockHandoffMs ?? 25);
          return result.session;
        });
      } catch (error) {
        if (error instanceof SessionExpiredError && hadSession && this.store.session !== null) {
          this.endSession(error.code, true);
        }
        throw error;
      }
    });
  }

  private async refreshUnderLock(
    generation: number,
    hadSession: boolean,
  ): Promise<{ session: SessionState; adopted: boolean }> {
    if (this.store.generation !== generation) {
      // While we waited for the lock another tab refreshed (and shared its token) or signed out.
      const current = this.store.session;
      if (current && current.expiresAt > this.now()) return { session: current, adopted: true };
      if (!current && hadSession) throw new SessionExpiredError(this.lastEndCode);
    }
    return { session: await this.postRefresh(), adopted: false };
  }

  private async postRefresh(): Promise<SessionState> {
    const timeoutMs = this.options.refreshTimeoutMs ?? 15_000;
    const abort = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = abort ? setTimeout(() => abort.abort(), timeoutMs) : undefined;
    let response: Response;
    try {
      response = await this.fetchImpl(this.urls.resolve('/auth/refresh'), {
        method: 'POST',
        credentials: 'include',
        headers: { Accept: 'application/json', 'X-Requested-With': this.requestedWith },
        ...(abort ? { signal: abort.signal } : {}),
      });
    } catch (error) {
      throw new TransientRefreshFailure(0, 'network_error', null, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    const receivedAt = this.now();

    if (response.ok) {
      const body: unknown = await response.json().catch(() => null);
      if (!isTokenResponse(body)) throw new TransientRefreshFailure(response.status, 'invalid_response', null);
      return toSessionState(body, receivedAt);
    }
    const problem = await readProblem(response);
    const code = typeof problem.code === 'string' && problem.code ? problem.code : `http_${response.status}`;
    // Only a 401 means the session is over; a 503, 429 or 5xx is the server's trouble.
    if (response.status === 401) throw new SessionExpiredError(code);
    throw new TransientRefreshFailure(
      response.status,
      code,
      parseRetryAfter(response.headers.get('Retry-After'), receivedAt),
    );
  }

  private applyRefreshed(session: SessionState, reason: RefreshReason): void {
    const wasSignedIn = this.store.session !== null;
    this.store.set(session);
    if (!wasSignedIn) this.expiryNotified = false;
    this.post({ ...session, login: false });
    this.emitter.emit('refresh', {
      reason,
      expiresAt: new Date(session.expiresAt),
      at: new Date(this.now()),
    });
    this.schedule();
    this.emitter.emit('change', undefined);
  }

  private startSession(session: SessionState): void {
    this.store.set(session);
    this.expiryNotified = false;
    this.refresher.reset();
    this.post({ ...session, login: true });
    this.emitter.emit('login', { user: session.user, source: 'local' });
    this.schedule();
    this.emitter.emit('change', undefined);
  }

  private post(session: SessionState & { login: boolean }): void {
    this.broadcast.post({
      type: 'token',
      accessToken: session.accessToken,
      expiresAt: session.expiresAt,
      receivedAt: session.receivedAt,
      sessionId: session.sessionId,
      user: session.user,
      login: session.login,
    });
  }

  /** The session is over without the user asking: clear memory, tell the app once. */
  private endSession(code: string, broadcast: boolean): void {
    const sessionId = this.store.session?.sessionId ?? null;
    this.lastEndCode = code;
    this.store.clear();
    this.cancelTimer();
    this.refresher.reset();
    if (broadcast) this.broadcast.post({ type: 'sessionExpired', sessionId, code });
    this.emitter.emit('sessionExpired', { code });
    this.emitter.emit('change', undefined);
    this.notifyExpired(code);
  }

  private notifyExpired(code: string): void {
    if (this.expiryNotified || this.closed) return;
    this.expiryNotified = true;
    (this.options.onSessionExpired ?? defaultOnSessionExpired)({ code });
  }

  private signOutLocally(source: 'local' | 'everywhere'): void {
    const sessionId = this.store.session?.sessionId ?? null;
    this.lastEndCode = 'signed_out';
    this.store.clear();
    this.cancelTimer();
    this.refresher.reset();
    // The user chose this; no onSessionExpired here, but every other tab signs out too.
    this.expiryNotified = true;
    this.broadcast.post({ type: 'logout', sessionId });
    this.emitter.emit('logout', { source });
    this.emitter.emit('change', undefined);
  }

  // ---- other tabs -------------------------------------------------------------------------

  private onTabMessage(message: TabMessage): void {
    if (this.closed) return;
    const current = this.store.session;
    switch (message.type) {
      case 'token': {
        if (current && current.accessToken === message.accessToken) return;
        const sameSession = current !== null && current.sessionId === message.sessionId;
        // A stale token of our own session must not replace a newer one.
        if (current && sameSession && !message.login && current.expiresAt >= message.expiresAt) return;
        this.store.set({
          accessToken: message.accessToken,
          expiresAt: message.expiresAt,
          receivedAt: message.receivedAt,
          sessionId: message.sessionId,
          user: message.user,
        });
        // Another tab's refresh succeeded: the server is well again.
        this.refresher.reset();
        if (!current || message.login) {
          this.expiryNotified = false;
          this.emitter.emit('login', { user: message.user, source: 'remote' });
        } else {
          this.emitter.emit('refresh', {
            reason: 'broadcast',
            expiresAt: new Date(message.expiresAt),
            at: new Date(this.now()),
          });
        }
        this.schedule();
        this.emitter.emit('change', undefined);
        return;
      }
      case 'logout': {
        if (!current) return;
        this.lastEndCode = 'signed_out_elsewhere';
        this.store.clear();
        this.cancelTimer();
        this.refresher.reset();
        this.emitter.emit('logout', { source: 'remote' });
        this.emitter.emit('change', undefined);
        this.notifyExpired('signed_out_elsewhere');
        return;
      }
      case 'sessionExpired': {
        if (!current) return;
        if (message.sessionId && current.sessionId && message.sessionId !== current.sessionId) return;
        this.endSession(message.code, false);
        return;
      }
    }
  }

  // ---- proactive refresh ------------------------------------------------------------------

  /** (Re)arms the timer that refreshes ahead of expiry, only while the tab is visible. */
  private schedule(): void {
    this.cancelTimer();
    if (this.closed || !this.proactive) return;
    const session = this.store.session;
    if (!session || !this.visibility.isVisible()) return;
    const lifetime = Math.max(0, session.expiresAt - session.receivedAt);
    const margin = Math.min(this.options.refreshMargin ?? DEFAULT_REFRESH_MARGIN_MS, lifetime / 3);
    const now = this.now();
    const due = Math.max(session.expiresAt - margin, this.refresher.backoffUntil);
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, due - now));
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.closed || !this.store.session || !this.visibility.isVisible()) return;
    if (this.refresher.inFlight) return;
    // Failures reschedule through onBackoff; a session end clears the timer.
    this.refreshSession('proactive').catch(() => undefined);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
