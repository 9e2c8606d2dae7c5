/**
 * The tab's session and every change to it: start, a new access token (here or from another tab), and the end.
 * Whatever else has to follow a change (other tabs, events, the refresh timer, `onSessionExpired`) follows it
 * here, so no other part touches the store.
 */
import type { TabMessage } from './broadcast.js';
import type { Emitter } from './emitter.js';
import { SessionExpiredError } from './errors.js';
import { MemoryTokenStore } from './store.js';
import type { RefreshReason, RotorUser, SessionExpiredInfo, SessionState } from './types.js';

/** How a session ends. */
export type SessionEnd =
  /** The server ended it (a refresh answered 401), seen here, or by another tab that says so (`tellTabs` false). */
  | { kind: 'expired'; code: string; reason?: string | null | undefined; tellTabs: boolean }
  /** The user signed out in this tab: the server was told, the other tabs are (with the reason, if one was given). */
  | { kind: 'signedOut'; source: 'local' | 'everywhere'; reason?: string | undefined }
  /** Another tab signed out. */
  | { kind: 'signedOutElsewhere'; reason?: string | undefined };

/** What follows a change of session, supplied by the client. */
export interface SessionHooks {
  now(): number;
  /** Tells the other tabs. */
  post(message: TabMessage): void;
  /** Re-arms the refresh-ahead timer for the current token. */
  schedule(): void;
  /** Stops the refresh-ahead timer. */
  cancelTimer(): void;
  /** Forgets refresh failures (a new session, or another tab proved the server healthy). */
  resetBackoff(): void;
  onSessionExpired(info: SessionExpiredInfo): void;
  isClosed(): boolean;
}

export class SessionKeeper {
  private readonly store = new MemoryTokenStore();
  /** Set when `onSessionExpired` has been called for the current session; cleared by a new one. */
  private expiryNotified = false;
  private ended: SessionExpiredInfo = { code: 'session_ended' };

  constructor(
    private readonly emitter: Emitter,
    private readonly hooks: SessionHooks,
  ) {}

  get session(): SessionState | null {
    return this.store.session;
  }

  /** Bumped on every change; lets a refresh that waited for the lock tell whether another tab acted meanwhile. */
  get generation(): number {
    return this.store.generation;
  }

  /** Why the last session ended, for requests that were in the air when it ended. */
  endedError(): SessionExpiredError {
    return new SessionExpiredError(this.ended.code, this.ended.reason ?? null);
  }

  /** A sign-in in this tab. */
  start(session: SessionState): void {
    this.store.set(session);
    this.expiryNotified = false;
    this.hooks.resetBackoff();
    this.post(session, true);
    this.emitter.emit('login', { user: session.user, source: 'local' });
    this.hooks.schedule();
    this.emitter.emit('change', undefined);
  }

  /** A new access token for the session, from a refresh or a reauthentication in this tab. */
  replace(session: SessionState, reason: RefreshReason): void {
    const wasSignedIn = this.store.session !== null;
    this.store.set(session);
    if (!wasSignedIn) this.expiryNotified = false;
    this.post(session, false);
    this.emitter.emit('refresh', {
      reason,
      expiresAt: new Date(session.expiresAt),
      at: new Date(this.hooks.now()),
    });
    this.hooks.schedule();
    this.emitter.emit('change', undefined);
  }

  /** Another tab's token: a new sign-in (`login`) or a refresh it shared. */
  adopt(session: SessionState, login: boolean): void {
    const current = this.store.session;
    this.store.set(session);
    // Another tab's refresh succeeded: the server is well again.
    this.hooks.resetBackoff();
    if (!current || login) {
      this.expiryNotified = false;
      this.emitter.emit('login', { user: session.user, source: 'remote' });
    } else {
      this.emitter.emit('refresh', {
        reason: 'broadcast',
        expiresAt: new Date(session.expiresAt),
        at: new Date(this.hooks.now()),
      });
    }
    this.hooks.schedule();
    this.emitter.emit('change', undefined);
  }

  setUser(user: RotorUser): void {
    this.store.setUser(user);
    this.emitter.emit('change', undefined);
  }

  /**
   * The one place a session is cleared: memory, timer and back-off, then the other tabs, the events and (unless
   * the user asked for it here) the app's `onSessionExpired`, once per session.
   */
  end(end: SessionEnd): void {
    const sessionId = this.store.session?.sessionId ?? null;
    const code = end.kind === 'expired' ? end.code : end.kind === 'signedOut' ? 'signed_out' : 'signed_out_elsewhere';
    // Only a reason that is there becomes a member: listeners and other tabs never see `reason: undefined`.
    const why = end.reason ? { reason: end.reason } : {};
    const info: SessionExpiredInfo = { code, ...why };
    this.ended = info;
    this.store.clear();
    this.hooks.cancelTimer();
    this.hooks.resetBackoff();
    if (end.kind === 'signedOut') {
      // The user chose this; no onSessionExpired here, but every other tab signs out too.
      this.expiryNotified = true;
      this.hooks.post({ type: 'logout', sessionId, ...why });
      this.emitter.emit('logout', { source: end.source, ...why });
    } else if (end.kind === 'expired') {
      if (end.tellTabs) this.hooks.post({ type: 'sessionExpired', sessionId, code, ...why });
      this.emitter.emit('sessionExpired', info);
    } else {
      this.emitter.emit('logout', { source: 'remote', ...why });
    }
    this.emitter.emit('change', undefined);
    if (end.kind !== 'signedOut') this.notifyExpired(info);
  }

  private notifyExpired(info: SessionExpiredInfo): void {
    if (this.expiryNotified || this.hooks.isClosed()) return;
    this.expiryNotified = true;
    this.hooks.onSessionExpired(info);
  }

  private post(session: SessionState, login: boolean): void {
    this.hooks.post({
      type: 'token',
      accessToken: session.accessToken,
      expiresAt: session.expiresAt,
      receivedAt: session.receivedAt,
      sessionId: session.sessionId,
      user: session.user,
      login,
    });
  }
}
