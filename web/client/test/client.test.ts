import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  RefreshUnavailableError,
  RotorApiError,
  SessionExpiredError,
} from '../src/index.js';
import { BASE, deferred, FakeRotorServer, waitFor } from './fakeServer.js';
import { setup, signIn, type Harness } from './helpers.js';

let h: Harness;
afterEach(() => {
  h?.client.close();
  vi.useRealTimers();
});

describe('requests', () => {
  it('sends the token, X-Requested-With and credentials to the Rotor server', async () => {
    h = setup({ proactiveRefresh: false });
    await signIn(h);
    const response = await h.client.fetch('/api/demo/time');
    expect(response.status).toBe(200);
    const sent = h.server.requests.at(-1)!;
    expect(sent.headers.get('Authorization')).toBe('Bearer at-1');
    expect(sent.headers.get('X-Requested-With')).toBe('rotor');
    expect(sent.credentials).toBe('include');
  });

  it('logs in in browser mode: no mode field, the token stays in memory', async () => {
    h = setup({ proactiveRefresh: false });
    const user = await h.client.login({ username: 'alice', password: 'correct horse' });
    expect(user.username).toBe('alice');
    const login = h.server.requests.find((r) => r.path === '/auth/login')!;
    expect(JSON.parse(login.body)).toEqual({ username: 'alice', password: 'correct horse' });
    expect(login.credentials).toBe('include');
    expect(login.headers.get('X-Requested-With')).toBe('rotor');
    expect(h.client.getUser()?.id).toBe('u-1');
    expect(h.client.isSignedIn()).toBe(true);
  });

  it('never sends the token or cookies to another origin', async () => {
    h = setup({ proactiveRefresh: false });
    await signIn(h);
    await h.client.fetch('https://elsewhere.example/data');
    const sent = h.server.requests.at(-1)!;
    expect(sent.headers.get('Authorization')).toBeNull();
    expect(sent.headers.get('X-Requested-With')).toBeNull();
    expect(sent.credentials).not.toBe('include');
  });

  it('keeps the request body for the retry', async () => {
    h = setup({ proactiveRefresh: false });
    await signIn(h);
    h.server.expireTokens();
    const response = await h.client.fetch('/api/echo', { method: 'POST', body: 'payload' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { echo: string }).echo).toBe('payload');
  });
});

describe('401 and single-flight refresh', () => {
  it('N concurrent 401s cause exactly one refresh, then each request is retried once', async () => {
    h = setup({ proactiveRefresh: false });
    await signIn(h);
    h.server.expireTokens();
    const gate = deferred();
    h.server.refreshGate = gate.promise;

    const calls = Array.from({ length: 5 }, () => h.client.fetch('/api/demo/time'));
    await waitFor(() => h.server.protected401Count === 5 && h.server.refreshCount === 1);
    gate.resolve();
    const responses = await Promise.all(calls);

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(h.server.refreshCount).toBe(1);
    expect(h.server.protectedCount).toBe(10);
  });

  it('requests after local expiry share one refresh made before sending', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    h = setup({ proactiveRefresh: false });
    await signIn(h);
    vi.setSystemTime(Date.now() + 901_000);
    h.server.expireTokens();
    const responses = await Promise.all(Array.from({ length: 5 }, () => h.client.fetch('/api/demo/time')));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(h.server.refreshCount).toBe(1);
    expect(h.server.protected401Count).toBe(0);
  });

  it('a late 401 for an old token reuses the token refreshed meanwhile', async () => {
    h = setup({ proactiveRefresh: false });
    await signIn(h);
    h.server.expireTokens();
    await h.client.fetch('/api/demo/time');
    expect(h.server.refreshCount).toBe(1);
    // A second request that had left with the old token: the hooks see the newer token.
    const token = await h.client.hooks.recoverFromUnauthorized('at-1');
    expect(token).toBe('at-2');
    expect(h.server.refreshCount).toBe(1);
  });

  it('retries once and returns a second 401 to the caller, never looping', async () => {
    h = setup({ proactiveRefresh: false });
    await signIn(h);
    h.server.rejectAllTokens = true;
    const response = await h.client.fetch('/api/demo/time');
    expect(response.status).toBe(401);
    expect(h.server.refreshCount).toBe(1);
    expect(h.server.protectedCount).toBe(2);
    expect(h.client.isSignedIn()).toBe(true);
  });

  it('a 401 without a session is returned as it is, with no refresh', async () => {
    h = setup({ proactiveRefresh: false });
    const response = await h.client.fetch('/api/demo/time');
    expect(response.status).toBe(401);
    expect(h.server.refreshCount).toBe(0);
  });
});

describe('excluded paths', () => {
  it('a failed login throws the problem code and triggers no refresh', async () => {
    h = setup({ proactiveRefresh: false });
    await signIn(h);
    const error = await h.client.login({ username: 'alice', password: 'wrong' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RotorApiError);
    expect((error as RotorApiError).code).toBe('invalid_credentials');
    expect((error as RotorApiError).status).toBe(401);
    expect(h.server.refreshCount).toBe(0);
  });

  it.each(['/auth/login', '/auth/register', '/auth/refresh', '/auth/verify-otp'])(
    'a 401 from %s through client.fetch is returned without a refresh',
    async (path) => {
      h = setup({ proactiveRefresh: false });
      await signIn(h);
      const response = await h.client.fetch(path, {
        method: 'POST',
        body: JSON.stringify({ username: 'x', password: 'y', email: 'e', code: '0' }),
      });
      expect(h.server.refreshCount).toBe(path === '/auth/refresh' ? 1 : 0);
      const sent = h.server.requests.at(-1)!;
      expect(sent.headers.get('Authorization')).toBeNull();
      expect(sent.headers.get('X-Requested-With')).toBe('rotor');
      expect(response.status).not.toBe(0);
    },
  );

  it('honours custom excluded paths', async () => {
    h = setup({ proactiveRefresh: false, excludedPaths: ['/public/thing'] });
    await signIn(h);
    const response = await h.client.fetch('/public/thing');
    expect(response.status).toBe(401);
    expect(h.server.refreshCount).toBe(0);
  });
});

describe('session end', () => {
  it('a 401 on refresh clears memory, calls onSessionExpired once and rejects every waiter', async () => {
    h = setup({ proactiveRefresh: false });
    await signIn(h);
    h.server.expireTokens();
    h.server.refreshMode = 'unauthorized';
    h.server.refreshCode = 'refresh_token_reused';
    const events: string[] = [];
    h.client.on('sessionExpired', (e) => events.push(e.code));

    const results = await Promise.allSettled(Array.from({ length: 4 }, () => h.client.fetch('/api/demo/time')));

    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    for (const r of results) {
      const reason = (r as PromiseRejectedResult).reason as SessionExpiredError;
      expect(reason).toBeInstanceOf(SessionExpiredError);
      expect(reason.code).toBe('refresh_token_reused');
    }
    expect(h.server.refreshCount).toBe(1);
    expect(h.onSessionExpired).toHaveBeenCalledTimes(1);
    expect(h.onSessionExpired).toHaveBeenCalledWith({ code: 'refresh_token_reused' });
    expect(events).toEqual(['refresh_token_reused']);
    expect(h.client.getUser()).toBeNull();
    expect(h.client.getAccessTokenExpiry()).toBeNull();

    // Afterwards: no token is sent, a 401 comes straight back, nothing more is refreshed.
    const after = await h.client.fetch('/api/demo/time');
    expect(after.status).toBe(401);
    expect(h.server.requests.at(-1)!.headers.get('Authorization')).toBeNull();
    expect(h.server.refreshCount).toBe(1);
    expect(h.onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it('calls onSessionExpired again for a later session', async () => {
    h = setup({ proactiveRefresh: false });
    h.server.refreshMode = 'unauthorized';
    await signIn(h);
    await expect(h.client.refresh()).rejects.toBeInstanceOf(SessionExpiredError);
    await signIn(h);
    await expect(h.client.refresh()).rejects.toBeInstanceOf(SessionExpiredError);
    expect(h.onSessionExpired).toHaveBeenCalledTimes(2);
  });
});

describe('transient refresh failures', () => {
  it('a 503 keeps the session, rejects with a typed error and backs off per Retry-After', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    h = setup({ proactiveRefresh: false });
    await signIn(h);
    h.server.expireTokens();
    h.server.refreshMode = 'unavailable';
    h.server.retryAfter = '5';
    const failed: Date[] = [];
    h.client.on('refreshFailed', (e) => failed.push(e.retryAt));

    const error = (await h.client.fetch('/api/demo/time').catch((e: unknown) => e)) as RefreshUnavailableError;
    expect(error).toBeInstanceOf(RefreshUnavailableError);
    expect(error.status).toBe(503);
    expect(error.retryAt.getTime()).toBe(Date.now() + 5000);
    expect(failed).toHaveLength(1);
    expect(h.client.isSignedIn()).toBe(true);
    expect(h.onSessionExpired).not.toHaveBeenCalled();

    // Within the back-off: rejected at once, the server is left alone.
    vi.setSystemTime(Date.now() + 4000);
    await expect(h.client.fetch('/api/demo/time')).rejects.toBeInstanceOf(RefreshUnavailableError);
    expect(h.server.refreshCount).toBe(1);

    // After it, and the server has recovered: the app carries on.
    vi.setSystemTime(Date.now() + 1001);
    h.server.refreshMode = 'ok';
    const response = await h.client.fetch('/api/demo/time');
    expect(response.status).toBe(200);
    expect(h.server.refreshCount).toBe(2);
  });

  it('backs off exponentially without Retry-After, for network errors and 429 alike', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    h = setup({ proactiveRefresh: false, backoff: { initialMs: 1000, maxMs: 4000 } });
    await signIn(h);
    h.server.refreshMode = 'network';
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const error = (await h.client.refresh().catch((e: unknown) => e)) as RefreshUnavailableError;
      expect(error).toBeInstanceOf(RefreshUnavailableError);
      delays.push(error.retryAt.getTime() - Date.now());
      vi.setSystemTime(error.retryAt);
    }
    expect(delays).toEqual([1000, 2000, 4000, 4000]);
    expect(h.server.refreshCount).toBe(4);

    h.server.refreshMode = 'rateLimited';
    const limited = (await h.client.refresh().catch((e: unknown) => e)) as RefreshUnavailableError;
    expect(limited.status).toBe(429);
    expect(limited.code).toBe('rate_limited');
    expect(h.client.isSignedIn()).toBe(true);
    expect(h.onSessionExpired).not.toHaveBeenCalled();
  });
});

describe('restore and sign-out', () => {
  it('restore turns the cookie into a token with one refresh', async () => {
    h = setup({ proactiveRefresh: false });
    const user = await h.client.restore();
    expect(user?.username).toBe('alice');
    expect(h.server.refreshCount).toBe(1);
    expect(h.client.isSignedIn()).toBe(true);
  });

  it('restore answered 401 means "not signed in": null, no onSessionExpired', async () => {
    h = setup({ proactiveRefresh: false });
    h.server.refreshMode = 'unauthorized';
    h.server.refreshCode = 'refresh_token_missing';
    expect(await h.client.restore()).toBeNull();
    expect(h.onSessionExpired).not.toHaveBeenCalled();
    expect(h.server.refreshCount).toBe(1);
  });

  it('restore with the server down throws a typed error', async () => {
    h = setup({ proactiveRefresh: false });
    h.server.refreshMode = 'unavailable';
    await expect(h.client.restore()).rejects.toBeInstanceOf(RefreshUnavailableError);
  });

  it('logout tells the server, clears memory and does not call onSessionExpired', async () => {
    h = setup({ proactiveRefresh: false });
    await signIn(h);
    const sources: string[] = [];
    h.client.on('logout', (e) => sources.push(e.source));
    expect(await h.client.logout()).toBe(true);
    const sent = h.server.requests.at(-1)!;
    expect(sent.path).toBe('/auth/logout');
    expect(sent.credentials).toBe('include');
    expect(sent.headers.get('X-Requested-With')).toBe('rotor');
    expect(h.client.getUser()).toBeNull();
    expect(sources).toEqual(['local']);
    expect(h.onSessionExpired).not.toHaveBeenCalled();
  });

  it('logoutEverywhere calls /auth/logout-all with the bearer token', async () => {
    h = setup({ proactiveRefresh: false });
    await signIn(h);
    await h.client.logoutEverywhere();
    const sent = h.server.requests.at(-1)!;
    expect(sent.path).toBe('/auth/logout-all');
    expect(sent.headers.get('Authorization')).toBe('Bearer at-1');
    expect(h.client.isSignedIn()).toBe(false);
  });

  it('verifyOtp starts a session like login', async () => {
    h = setup({ proactiveRefresh: false });
    const user = await h.client.verifyOtp({ email: 'alice@example.com', code: '123456' });
    expect(user?.username).toBe('alice');
    expect(h.client.isSignedIn()).toBe(true);
    await expect(h.client.verifyOtp({ email: 'alice@example.com', code: '000000' })).rejects.toMatchObject({
      code: 'otp_invalid',
    });
  });
});

describe('configuration', () => {
  it('resolves paths under a base path and treats only those as Rotor URLs', () => {
    const server = new FakeRotorServer();
    h = setup({ baseUrl: `${BASE}/idp/` }, server);
    expect(h.client.hooks.resolveUrl('/auth/login')).toBe(`${BASE}/idp/auth/login`);
    expect(h.client.hooks.isRotorUrl(`${BASE}/idp/users/me`)).toBe(true);
    expect(h.client.hooks.isRotorUrl(`${BASE}/other`)).toBe(false);
    expect(h.client.hooks.isExcluded(`${BASE}/idp/auth/login/`)).toBe(true);
  });

  it('rejects a baseUrl that is not a URL', () => {
    expect(() => setup({ baseUrl: 'not a url' })).toThrow(/baseUrl/);
  });
});
