import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RefreshEvent, VisibilitySource } from '../src/index.js';
import { setup, signIn, type Harness } from './helpers.js';

class FakeVisibility implements VisibilitySource {
  visible = true;
  private readonly listeners = new Set<() => void>();
  isVisible(): boolean {
    return this.visible;
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(visible: boolean): void {
    this.visible = visible;
    for (const l of this.listeners) l();
  }
}

let h: Harness;
afterEach(() => {
  h?.client.close();
  vi.useRealTimers();
});

describe('proactive refresh', () => {
  it('refreshes a margin before expiry, measured from expiresIn and the moment of arrival', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-06-01T12:00:00Z'));
    h = setup({ refreshMargin: 10_000 });
    h.server.expiresIn = 60;
    // The server's absolute expiresAt is in the distant past: a client that trusted it, or the
    // JWT exp against the local clock, would refresh at once. Only expiresIn counts.
    h.server.serverExpiresAt = '2000-01-01T00:00:00Z';
    const events: RefreshEvent[] = [];
    h.client.on('refresh', (e) => events.push(e));

    await signIn(h);
    expect(h.client.getAccessTokenExpiry()?.toISOString()).toBe('2030-06-01T12:01:00.000Z');

    await vi.advanceTimersByTimeAsync(49_000);
    expect(h.server.refreshCount).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.server.refreshCount).toBe(1);
    expect(events).toHaveLength(1);
    expect(events[0]!.reason).toBe('proactive');
    expect(events[0]!.expiresAt.toISOString()).toBe('2030-06-01T12:01:50.000Z');

    // And again a margin before the new token's expiry.
    await vi.advanceTimersByTimeAsync(50_000);
    expect(h.server.refreshCount).toBe(2);
  });

  it('caps the margin at a third of the lifetime so short tokens are not refreshed in a loop', async () => {
    vi.useFakeTimers();
    h = setup(); // default margin 30 s, token lives 3 s → refresh after 2 s
    h.server.expiresIn = 3;
    await signIn(h);
    await vi.advanceTimersByTimeAsync(1_900);
    expect(h.server.refreshCount).toBe(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(h.server.refreshCount).toBe(1);
  });

  it('does not refresh while the tab is hidden, and catches up when it becomes visible', async () => {
    vi.useFakeTimers();
    const visibility = new FakeVisibility();
    h = setup({ visibility, refreshMargin: 10_000 });
    h.server.expiresIn = 60;
    await signIn(h);
    visibility.set(false);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(h.server.refreshCount).toBe(0);

    visibility.set(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.server.refreshCount).toBe(1);
    expect(h.client.getAccessTokenExpiry()!.getTime()).toBe(Date.now() + 60_000);
  });

  it('can be switched off', async () => {
    vi.useFakeTimers();
    h = setup({ proactiveRefresh: false });
    h.server.expiresIn = 60;
    await signIn(h);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(h.server.refreshCount).toBe(0);
    h.client.setProactiveRefresh(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.server.refreshCount).toBe(1);
  });

  it('after a transient failure, tries again when the back-off has passed', async () => {
    vi.useFakeTimers();
    h = setup({ refreshMargin: 10_000, backoff: { initialMs: 1000, maxMs: 8000 } });
    h.server.expiresIn = 60;
    await signIn(h);
    h.server.refreshMode = 'unavailable';
    await vi.advanceTimersByTimeAsync(50_000);
    expect(h.server.refreshCount).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.server.refreshCount).toBe(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(h.server.refreshCount).toBe(3);
    h.server.refreshMode = 'ok';
    await vi.advanceTimersByTimeAsync(4_000);
    expect(h.server.refreshCount).toBe(4);
    expect(h.client.isSignedIn()).toBe(true);
    expect(h.onSessionExpired).not.toHaveBeenCalled();
  });

  it('stops after the session ends', async () => {
    vi.useFakeTimers();
    h = setup({ refreshMargin: 10_000 });
    h.server.expiresIn = 60;
    await signIn(h);
    h.server.refreshMode = 'unauthorized';
    await vi.advanceTimersByTimeAsync(50_000);
    expect(h.onSessionExpired).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(h.server.refreshCount).toBe(1);
  });
});
