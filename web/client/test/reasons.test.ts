import { afterEach, describe, expect, it } from 'vitest';
import { SessionExpiredError, type LogoutEvent } from '../src/index.js';
import { FakeRotorServer, waitFor } from './fakeServer.js';
import { setup, signIn, type Harness } from './helpers.js';

let tabs: Harness[] = [];
let channelSeq = 0;

/** Two tabs of one browser: one server (one cookie jar), one channel. */
function twoTabs(): [Harness, Harness] {
  const server = new FakeRotorServer();
  const options = { proactiveRefresh: false, channelName: `rotor-reasons-${++channelSeq}`, channel: undefined, locks: null };
  tabs = [setup(options, server), setup(options, server)];
  return tabs as [Harness, Harness];
}

afterEach(() => {
  for (const t of tabs) t.client.close();
  tabs = [];
});

describe('why a session ended', () => {
  it("carries the server's revocation reason to this tab and the others", async () => {
    const [a, b] = twoTabs();
    await signIn(a);
    await waitFor(() => b.client.isSignedIn());
    a.server.refreshMode = 'unauthorized';
    a.server.refreshCode = 'session_revoked';
    a.server.refreshReason = 'password_changed';

    const error = await a.client.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect((error as SessionExpiredError).reason).toBe('password_changed');
    await waitFor(() => !b.client.isSignedIn());
    expect(a.onSessionExpired).toHaveBeenCalledWith({ code: 'session_revoked', reason: 'password_changed' });
    expect(b.onSessionExpired).toHaveBeenCalledWith({ code: 'session_revoked', reason: 'password_changed' });
  });

  it('a request in the air when the session ended learns the reason too', async () => {
    const [a] = twoTabs();
    await signIn(a);
    a.server.refreshMode = 'unauthorized';
    a.server.refreshCode = 'session_revoked';
    a.server.refreshReason = 'revoked_by_user';
    a.server.expireTokens();
    const error = await a.client.fetch('/api/demo/time').catch((e: unknown) => e);
    expect((error as SessionExpiredError).reason).toBe('revoked_by_user');
    const late = await a.client.hooks.recoverFromUnauthorized('at-1').catch((e: unknown) => e);
    expect(late).toBeInstanceOf(SessionExpiredError);
    expect((late as SessionExpiredError).code).toBe('session_revoked');
    expect((late as SessionExpiredError).reason).toBe('revoked_by_user');
  });

  it('logout with a reason tells the other tabs what happened', async () => {
    const [a, b] = twoTabs();
    await signIn(a);
    await waitFor(() => b.client.isSignedIn());
    const events: LogoutEvent[] = [];
    b.client.on('logout', (e) => events.push(e));
    await a.client.logout({ reason: 'password_changed' });
    await waitFor(() => !b.client.isSignedIn());
    expect(events).toEqual([{ source: 'remote', reason: 'password_changed' }]);
    expect(b.onSessionExpired).toHaveBeenCalledWith({ code: 'signed_out_elsewhere', reason: 'password_changed' });
    expect(a.onSessionExpired).not.toHaveBeenCalled();
  });

  it('logging out everywhere says logout_all to the other tabs', async () => {
    const [a, b] = twoTabs();
    await signIn(a);
    await waitFor(() => b.client.isSignedIn());
    const local: LogoutEvent[] = [];
    a.client.on('logout', (e) => local.push(e));
    await a.client.logoutEverywhere();
    await waitFor(() => !b.client.isSignedIn());
    expect(local).toEqual([{ source: 'everywhere', reason: 'logout_all' }]);
    expect(b.onSessionExpired).toHaveBeenCalledWith({ code: 'signed_out_elsewhere', reason: 'logout_all' });
  });

  it('drops a reason that is not a short string', async () => {
    const [a, b] = twoTabs();
    await signIn(a);
    await waitFor(() => b.client.isSignedIn());
    const channel = new BroadcastChannel(`rotor-reasons-${channelSeq}`);
    channel.postMessage({ type: 'logout', sessionId: null, reason: 'x'.repeat(500) });
    await waitFor(() => !b.client.isSignedIn());
    channel.close();
    expect(b.onSessionExpired).toHaveBeenCalledWith({ code: 'signed_out_elsewhere' });
    expect(b.onSessionExpired.mock.calls[0]![0]).not.toHaveProperty('reason');
  });
});
