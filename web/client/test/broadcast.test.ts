import { afterEach, describe, expect, it } from 'vitest';
import { SessionExpiredError, type RefreshEvent } from '../src/index.js';
import { FakeRotorServer, waitFor } from './fakeServer.js';
import { FakeLocks } from './fakeLocks.js';
import { setup, signIn, type Harness } from './helpers.js';

let tabs: Harness[] = [];
let channelSeq = 0;

/** Two "tabs": two clients on one server (one cookie jar), one channel, one lock manager. */
function twoTabs(locks: FakeLocks | null = null): [Harness, Harness] {
  const server = new FakeRotorServer();
  const channelName = `rotor-test-${++channelSeq}`;
  const options = { proactiveRefresh: false, channelName, channel: undefined, locks };
  const a = setup(options, server);
  const b = setup(options, server);
  tabs = [a, b];
  return [a, b];
}

afterEach(() => {
  for (const t of tabs) t.client.close();
  tabs = [];
});

describe('between tabs', () => {
  it('shares a sign-in: the other tab uses the token without refreshing', async () => {
    const [a, b] = twoTabs();
    const logins: string[] = [];
    b.client.on('login', (e) => logins.push(e.source));
    await signIn(a);
    await waitFor(() => b.client.isSignedIn());
    expect(logins).toEqual(['remote']);
    expect(b.client.getUser()?.username).toBe('alice');
    const response = await b.client.fetch('/api/demo/time');
    expect(response.status).toBe(200);
    expect(a.server.requests.at(-1)!.headers.get('Authorization')).toBe('Bearer at-1');
    expect(a.server.refreshCount).toBe(0);
  });

  it('shares a fresh access token after a refresh', async () => {
    const [a, b] = twoTabs();
    await signIn(a);
    await waitFor(() => b.client.isSignedIn());
    const seen: RefreshEvent[] = [];
    b.client.on('refresh', (e) => seen.push(e));
    await a.client.refresh();
    await waitFor(() => seen.length === 1);
    expect(seen[0]!.reason).toBe('broadcast');
    expect(b.client.getAccessTokenExpiry()?.getTime()).toBe(a.client.getAccessTokenExpiry()?.getTime());
    a.server.validTokens.delete('at-1');
    expect((await b.client.fetch('/api/demo/time')).status).toBe(200);
    expect(a.server.refreshCount).toBe(1);
  });

  it('logging out in one tab signs out the other, which calls onSessionExpired once', async () => {
    const [a, b] = twoTabs();
    await signIn(a);
    await waitFor(() => b.client.isSignedIn());
    const sources: string[] = [];
    b.client.on('logout', (e) => sources.push(e.source));
    await a.client.logout();
    await waitFor(() => !b.client.isSignedIn());
    expect(sources).toEqual(['remote']);
    expect(b.onSessionExpired).toHaveBeenCalledTimes(1);
    expect(b.onSessionExpired).toHaveBeenCalledWith({ code: 'signed_out_elsewhere' });
    expect(a.onSessionExpired).not.toHaveBeenCalled();
  });

  it('a session ended in one tab ends in the other', async () => {
    const [a, b] = twoTabs();
    await signIn(a);
    await waitFor(() => b.client.isSignedIn());
    a.server.refreshMode = 'unauthorized';
    a.server.refreshCode = 'session_revoked';
    await expect(a.client.refresh()).rejects.toBeInstanceOf(SessionExpiredError);
    await waitFor(() => !b.client.isSignedIn());
    expect(a.onSessionExpired).toHaveBeenCalledTimes(1);
    expect(b.onSessionExpired).toHaveBeenCalledTimes(1);
    expect(b.onSessionExpired).toHaveBeenCalledWith({ code: 'session_revoked' });
    expect(a.server.refreshCount).toBe(1);
  });

  it('two tabs whose tokens expire together make one refresh between them', async () => {
    const [a, b] = twoTabs(new FakeLocks());
    await signIn(a);
    await waitFor(() => b.client.isSignedIn());
    a.server.expireTokens();
    const [ra, rb] = await Promise.all([a.client.fetch('/api/demo/time'), b.client.fetch('/api/demo/time')]);
    expect(ra.status).toBe(200);
    expect(rb.status).toBe(200);
    expect(a.server.refreshCount).toBe(1);
    expect(a.onSessionExpired).not.toHaveBeenCalled();
    expect(b.onSessionExpired).not.toHaveBeenCalled();
  });

  it('ignores the end of a different session', async () => {
    const [a, b] = twoTabs();
    await signIn(a);
    await waitFor(() => b.client.isSignedIn());
    const channel = new BroadcastChannel(`rotor-test-${channelSeq}`);
    channel.postMessage({ type: 'sessionExpired', sessionId: 'someone-else', code: 'session_revoked' });
    channel.postMessage({ type: 'nonsense' });
    channel.postMessage('garbage');
    await new Promise((r) => setTimeout(r, 30));
    channel.close();
    expect(a.client.isSignedIn()).toBe(true);
    expect(b.client.isSignedIn()).toBe(true);
  });
});
