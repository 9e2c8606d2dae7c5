import type { SessionState, VisibilitySource } from './types.js';

/** What the refresh-ahead timer reads and starts. */
export interface ProactiveRefreshDeps {
  now(): number;
  visibility: VisibilitySource;
  /** The wanted margin before expiry, in ms (capped at a third of the token's lifetime). */
  marginMs: number;
  session(): SessionState | null;
  /** Epoch ms before which no refresh is attempted (back-off), or 0. */
  backoffUntil(): number;
  refreshInFlight(): boolean;
  isClosed(): boolean;
  /** Starts a refresh; failures reschedule through the refresher's back-off, a session end cancels the timer. */
  refresh(): void;
}

/** Refreshes ahead of expiry, only while the tab is visible. */
export class ProactiveRefresh {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly deps: ProactiveRefreshDeps,
    private enabled: boolean,
  ) {
    this.unsubscribe = deps.visibility.subscribe(() => this.schedule());
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.schedule();
  }

  /** (Re)arms the timer for the current token. */
  schedule(): void {
    this.cancel();
    const { deps } = this;
    if (deps.isClosed() || !this.enabled) return;
    const session = deps.session();
    if (!session || !deps.visibility.isVisible()) return;
    const lifetime = Math.max(0, session.expiresAt - session.receivedAt);
    // Very short tokens are not refreshed in a loop: at most a third of the lifetime ahead.
    const margin = Math.min(deps.marginMs, lifetime / 3);
    const due = Math.max(session.expiresAt - margin, deps.backoffUntil());
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, due - deps.now()));
  }

  cancel(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  close(): void {
    this.cancel();
    this.unsubscribe();
  }

  private onTimer(): void {
    this.timer = undefined;
    const { deps } = this;
    if (deps.isClosed() || !deps.session() || !deps.visibility.isVisible()) return;
    if (deps.refreshInFlight()) return;
    deps.refresh();
  }
}
