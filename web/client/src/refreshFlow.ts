import type { RotorApi } from './api.js';
import type { ResolvedOptions } from './defaults.js';
import { SessionExpiredError } from './errors.js';
import { withLock } from './lock.js';
import type { Refresher } from './refresher.js';
import type { SessionKeeper } from './session.js';
import type { RefreshReason, SessionState } from './types.js';

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * One refresh of the session as the tabs of a browser share it: single flight in this tab (the refresher),
 * the cross-tab lock, adopting a token another tab got meanwhile, and the session's end on a 401.
 */
export class SessionRefresh {
  constructor(
    private readonly options: ResolvedOptions,
    private readonly api: RotorApi,
    private readonly refresher: Refresher,
    private readonly keeper: SessionKeeper,
  ) {}

  run(reason: RefreshReason): Promise<SessionState> {
    return this.refresher.refresh(async () => {
      const hadSession = this.keeper.session !== null;
      const generation = this.keeper.generation;
      const { locks, lockName, lockTimeoutMs, lockHandoffMs } = this.options;
      try {
        return await withLock(locks, lockName, lockTimeoutMs, async () => {
          const result = await this.underLock(generation, hadSession);
          if (result.adopted) return result.session;
          // Store and share the token while still holding the lock, then hold it a moment longer
          // so the other tabs receive the new token before one of them gets the lock and looks.
          this.keeper.replace(result.session, reason);
          if (locks) await delay(lockHandoffMs);
          return result.session;
        });
      } catch (error) {
        if (error instanceof SessionExpiredError && hadSession && this.keeper.session !== null) {
          this.keeper.end({ kind: 'expired', code: error.code, reason: error.reason, tellTabs: true });
        }
        throw error;
      }
    });
  }

  private async underLock(
    generation: number,
    hadSession: boolean,
  ): Promise<{ session: SessionState; adopted: boolean }> {
    if (this.keeper.generation !== generation) {
      // While we waited for the lock another tab refreshed (and shared its token) or signed out.
      const current = this.keeper.session;
      if (current && current.expiresAt > this.options.now()) return { session: current, adopted: true };
      if (!current && hadSession) throw this.keeper.endedError();
    }
    return { session: await this.api.refresh(), adopted: false };
  }
}
