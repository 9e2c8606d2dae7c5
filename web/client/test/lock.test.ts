import { afterEach, describe, expect, it, vi } from 'vitest';
import { withLock, type LockManagerLike } from '../src/index.js';
import { FakeLocks } from './fakeLocks.js';

afterEach(() => vi.useRealTimers());

describe('withLock', () => {
  it('runs the function directly when the Web Locks API is missing', async () => {
    expect(await withLock(null, 'l', 1000, async () => 42)).toBe(42);
  });

  it('serialises holders of the same lock', async () => {
    const locks = new FakeLocks();
    const order: string[] = [];
    const task = (id: string) =>
      withLock(locks, 'l', 1000, async () => {
        order.push(`${id}:start`);
        await new Promise((r) => setTimeout(r, 5));
        order.push(`${id}:end`);
        return id;
      });
    expect(await Promise.all([task('a'), task('b')])).toEqual(['a', 'b']);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
  });

  it('gives up waiting after the timeout and runs without the lock', async () => {
    vi.useFakeTimers();
    const locks = new FakeLocks();
    let releaseHolder!: () => void;
    void withLock(locks, 'l', 60_000, () => new Promise<void>((r) => (releaseHolder = r)));
    await vi.advanceTimersByTimeAsync(0);

    const fn = vi.fn(async () => 'ran');
    const result = withLock(locks, 'l', 5_000, fn);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toBe('ran');
    expect(fn).toHaveBeenCalledTimes(1);

    // When the holder finally lets go, the abandoned request does not run the function again.
    releaseHolder();
    await vi.advanceTimersByTimeAsync(10);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('never hangs on a lock manager that ignores the abort signal', async () => {
    vi.useFakeTimers();
    const stuck: LockManagerLike = { request: () => new Promise(() => undefined) };
    const result = withLock(stuck, 'l', 2_000, async () => 'done');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await result).toBe('done');
  });

  it('falls back when the lock manager throws or rejects', async () => {
    const throwing: LockManagerLike = {
      request: () => {
        throw new Error('SecurityError');
      },
    };
    const rejecting: LockManagerLike = { request: () => Promise.reject(new Error('nope')) };
    expect(await withLock(throwing, 'l', 1000, async () => 1)).toBe(1);
    expect(await withLock(rejecting, 'l', 1000, async () => 2)).toBe(2);
  });

  it("passes the function's own error through", async () => {
    const locks = new FakeLocks();
    await expect(
      withLock(locks, 'l', 1000, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // The lock was released despite the error.
    expect(await withLock(locks, 'l', 1000, async () => 'next')).toBe('next');
  });
});
