import { RefreshUnavailableError } from './errors.js';
import type { SessionState } from './types.js';

/** A refresh that failed for a reason other than the session's: 503, 429, network, time-out. */
export class TransientRefreshFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly retryAfterSeconds: number | null,
    options?: { cause?: unknown },
  ) {
    super(`refresh failed: ${code}`, options);
  }
}

export interface RefresherOptions {
  now: () => number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Called once per failed attempt, after the back-off has been set. */
  onBackoff?: (error: RefreshUnavailableError) => void;
}

/**
 * Single flight with back-off. At most one refresh runs at a time and every caller meanwhile
 * shares its outcome; after a transient failure, callers are rejected at once with the same typed
 * error until the back-off has passed, so a sick server is not hammered by every request.
 */
export class Refresher {
  private inflight: Promise<SessionState> | null = null;
  private failures = 0;
  private blocked: RefreshUnavailableError | null = null;

  constructor(private readonly options: RefresherOptions) {}

  get inFlight(): Promise<SessionState> | null {
    return this.inflight;
  }

  /** Epoch ms before which no new attempt is made, or 0. */
  get backoffUntil(): number {
    return this.blocked ? this.blocked.retryAt.getTime() : 0;
  }

  /**
   * Joins the refresh in flight, or starts `attempt`. `attempt` throws `TransientRefreshFailure`
   * for failures that keep the session; anything else it throws passes through untouched.
   */
  refresh(attempt: () => Promise<SessionState>): Promise<SessionState> {
    if (this.inflight) return this.inflight;
    if (this.blocked && this.options.now() < this.blocked.retryAt.getTime()) {
      return Promise.reject(this.blocked);
    }
    const flight = (async () => {
      try {
        const session = await attempt();
        this.reset();
        return session;
      } catch (error) {
        if (error instanceof TransientRefreshFailure) throw this.backOff(error);
        throw error;
      } finally {
        this.inflight = null;
      }
    })();
    this.inflight = flight;
    return flight;
  }

  /** Forgets failures (after a sign-in, or when another tab proved the server healthy). */
  reset(): void {
    this.failures = 0;
    this.blocked = null;
  }

  private backOff(failure: TransientRefreshFailure): RefreshUnavailableError {
    this.failures++;
    const { initialBackoffMs, maxBackoffMs, now } = this.options;
    const exponential = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (this.failures - 1));
    // The server's Retry-After wins when it sent one; it knows its own recovery best.
    const delay =
      failure.retryAfterSeconds !== null
        ? Math.max(initialBackoffMs, failure.retryAfterSeconds * 1000)
        : exponential;
    const error = new RefreshUnavailableError(failure.status, failure.code, new Date(now() + delay), {
      cause: failure.cause ?? failure,
    });
    this.blocked = error;
    this.options.onBackoff?.(error);
    return error;
  }
}
