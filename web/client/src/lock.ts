import type { LockManagerLike } from './types.js';

/** Where the platform has the Web Locks API, its lock manager; otherwise `null`. */
export function defaultLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  const locks = nav?.locks;
  return locks && typeof locks.request === 'function' ? locks : null;
}

/**
 * Runs `fn` while holding the cross-tab lock `name`, or without it when it cannot be had in
 * `timeoutMs` (or the API is missing or throws). A lock must never hang the app: a tab that
 * holds it forever only costs the others `timeoutMs` each, and correctness does not depend on
 * the lock (the server's rotation grace period is the primary guarantee), it only saves work.
 */
export function withLock<T>(
  locks: LockManagerLike | null,
  name: string,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  if (!locks) return fn();

  return new Promise<T>((resolve, reject) => {
    // Set once `fn` has been started, with or without the lock, so it never runs twice.
    let started = false;
    const abort = typeof AbortController === 'function' ? new AbortController() : null;

    const run = (): Promise<T> => {
      started = true;
      clearTimeout(timer);
      const result = fn();
      result.then(resolve, reject);
      return result;
    };

    const timer = setTimeout(() => {
      if (started) return;
      abort?.abort();
      void run().catch(() => undefined);
    }, timeoutMs);

    let request: Promise<unknown>;
    try {
      request = locks.request(name, abort ? { signal: abort.signal } : {}, async () => {
        // Granted after we gave up waiting: release at once.
        if (started) return undefined;
        // Hold the lock until `fn` settles; its outcome reaches the caller through `run`.
        return run().then(
          () => undefined,
          () => undefined,
        );
      });
    } catch {
      if (!started) void run().catch(() => undefined);
      return;
    }
    request.then(undefined, () => {
      // Aborted by our time-out, or the lock manager failed: run without the lock if not yet.
      if (!started) void run().catch(() => undefined);
    });
  });
}
