import { RotorApi } from './api.js';
import { TabBroadcast } from './broadcast.js';
import type { Credentials, LogoutOptions, OtpVerification, Registration, RotorClient, RotorRequestHooks } from './contract.js';
import { resolveOptions, type ResolvedOptions } from './defaults.js';
import { Emitter } from './emitter.js';
import { SessionExpiredError, toApiError } from './errors.js';
import {
  completeMfa,
  reauthenticate,
  signIn,
  type MfaCompletion,
  type Reauthentication,
  type SignInPort,
} from './mfa.js';
import { Refresher } from './refresher.js';
import { AuthorizedRequests } from './requests.js';
import { ProactiveRefresh } from './scheduler.js';
import { SessionRefresh } from './refreshFlow.js';
import { SessionKeeper } from './session.js';
import { applyTabMessage } from './tabs.js';
import type { RotorClientOptions, RotorEventMap, RotorEventName, RotorUser } from './types.js';

/** Creates a client for one Rotor server. One per page; tabs coordinate among themselves. */
export function createRotorClient(options: RotorClientOptions): RotorClient {
  return new RotorClientImpl(resolveOptions(options));
}

/**
 * Wires the parts together and answers the public API: the session (session.ts), the server calls (api.ts), the
 * shared refresh (refreshFlow.ts with refresher.ts), the app's requests (requests.ts), the refresh-ahead timer
 * (scheduler.ts) and the other tabs (broadcast.ts, tabs.ts).
 */
class RotorClientImpl implements RotorClient {
  private readonly emitter = new Emitter();
  private readonly api: RotorApi;
  private readonly refresher: Refresher;
  private readonly keeper: SessionKeeper;
  private readonly flow: SessionRefresh;
  private readonly requests: AuthorizedRequests;
  private readonly timer: ProactiveRefresh;
  private readonly broadcast: TabBroadcast;
  private readonly signInPort: SignInPort;
  private closed = false;
  readonly hooks: RotorRequestHooks;

  constructor(private readonly options: ResolvedOptions) {
    this.api = new RotorApi(options);
    this.refresher = new Refresher({
      now: options.now,
      initialBackoffMs: options.backoff.initialMs,
      maxBackoffMs: options.backoff.maxMs,
      onBackoff: (error) => {
        this.emitter.emit('refreshFailed', { error, retryAt: error.retryAt });
        this.timer.schedule();
      },
    });
    this.keeper = new SessionKeeper(this.emitter, {
      now: options.now,
      post: (message) => this.broadcast.post(message),
      schedule: () => this.timer.schedule(),
      cancelTimer: () => this.timer.cancel(),
      resetBackoff: () => this.refresher.reset(),
      onSessionExpired: (info) => options.onSessionExpired(info),
      isClosed: () => this.closed,
    });
    this.flow = new SessionRefresh(options, this.api, this.refresher, this.keeper);
    this.requests = new AuthorizedRequests(options, this.keeper, (reason) => this.flow.run(reason));
    this.broadcast = new TabBroadcast(options.channel, options.channelName, (message) => {
      if (!this.closed) applyTabMessage(this.keeper, message);
    });
    this.timer = new ProactiveRefresh(
      {
        now: options.now,
        visibility: options.visibility,
        marginMs: options.refreshMargin,
        session: () => this.keeper.session,
        backoffUntil: () => this.refresher.backoffUntil,
        refreshInFlight: () => this.refresher.inFlight !== null,
        isClosed: () => this.closed,
        refresh: () => void this.flow.run('proactive').catch(() => undefined),
      },
      options.proactiveRefresh,
    );

    const { urls } = options;
    this.hooks = {
      resolveUrl: (input) => urls.resolve(input),
      isRotorUrl: (url) => urls.isRotor(url),
      isExcluded: (url) => urls.isExcluded(url),
      requestedWith: options.requestedWith,
      tokenForRequest: () => this.requests.tokenForRequest(),
      recoverFromUnauthorized: (usedToken) => this.requests.recoverFromUnauthorized(usedToken),
    };
    this.signInPort = {
      postJson: (path, body, token) => this.api.postJson(path, body, token),
      now: options.now,
      startSession: (session) => this.keeper.start(session),
      replaceAccessToken: (session) => {
        if (!this.keeper.session) throw this.keeper.endedError();
        this.keeper.replace(session, 'reauthenticate');
      },
      tokenForRequest: () => this.requests.tokenForRequest(),
      recoverFromUnauthorized: (usedToken) => this.requests.recoverFromUnauthorized(usedToken),
    };
  }

  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    return this.requests.fetch(input, init);
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

  register(registration: Registration): Promise<RotorUser> {
    return this.api.register(registration);
  }

  async verifyOtp(verification: OtpVerification): Promise<RotorUser | null> {
    const session = await this.api.verifyOtp(verification);
    if (!session) return null;
    this.keeper.start(session);
    return session.user;
  }

  async logout(options?: LogoutOptions): Promise<boolean> {
    const confirmed = await this.api.logout(this.keeper.session?.accessToken ?? null);
    this.keeper.end({ kind: 'signedOut', source: 'local', reason: options?.reason });
    return confirmed;
  }

  async logoutEverywhere(): Promise<void> {
    const response = await this.fetch('/auth/logout-all', { method: 'POST' });
    if (!response.ok) throw await toApiError(response, this.options.now());
    // The other tabs say what happened, as the other devices do from the server's reason.
    this.keeper.end({ kind: 'signedOut', source: 'everywhere', reason: 'logout_all' });
  }

  async restore(): Promise<RotorUser | null> {
    const current = this.keeper.session;
    if (current && current.expiresAt > this.options.now()) return current.user;
    try {
      return (await this.flow.run('restore')).user;
    } catch (error) {
      // Not signed in (no cookie, or it no longer works): a normal state at page load.
      if (error instanceof SessionExpiredError) return null;
      throw error;
    }
  }

  async refresh(): Promise<RotorUser> {
    return (await this.flow.run('manual')).user;
  }

  getUser(): RotorUser | null {
    return this.keeper.session?.user ?? null;
  }

  getAccessTokenExpiry(): Date | null {
    const session = this.keeper.session;
    return session ? new Date(session.expiresAt) : null;
  }

  getSessionId(): string | null {
    return this.keeper.session?.sessionId ?? null;
  }

  isSignedIn(): boolean {
    return this.keeper.session !== null;
  }

  updateUser(user: RotorUser): void {
    this.keeper.setUser(user);
  }

  setProactiveRefresh(enabled: boolean): void {
    this.timer.setEnabled(enabled);
  }

  on<K extends RotorEventName>(name: K, listener: (payload: RotorEventMap[K]) => void): () => void {
    return this.emitter.on(name, listener);
  }

  close(): void {
    this.closed = true;
    this.timer.close();
    this.broadcast.close();
    this.emitter.clear();
  }
}
