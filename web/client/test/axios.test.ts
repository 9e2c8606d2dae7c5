import axios, { type AxiosError } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { installRotorInterceptor } from '../src/axios.js';
import { SessionExpiredError } from '../src/index.js';
import { adapterFor } from './axiosAdapter.js';
import { BASE, deferred, waitFor } from './fakeServer.js';
import { setup, signIn, type Harness } from './helpers.js';

let h: Harness;
afterEach(() => h?.client.close());

describe('@rotor/client/axios', () => {
  it('adds credentials, X-Requested-With and the token; one refresh for many 401s; one retry each', async () => {
    h = setup({ proactiveRefresh: false });
    const api = axios.create({ baseURL: BASE });
    api.defaults.adapter = adapterFor(h);
    installRotorInterceptor(api, h.client);
    await signIn(h);

    const ok = await api.get('/api/demo/time');
    expect(ok.status).toBe(200);
    const sent = h.server.requests.at(-1)!;
    expect(sent.headers.get('Authorization')).toBe('Bearer at-1');
    expect(sent.headers.get('X-Requested-With')).toBe('rotor');
    expect(sent.credentials).toBe('include');

    h.server.expireTokens();
    const gate = deferred();
    h.server.refreshGate = gate.promise;
    const calls = Array.from({ length: 5 }, () => api.get('/api/demo/time'));
    await waitFor(() => h.server.protected401Count === 5 && h.server.refreshCount === 1);
    gate.resolve();
    const responses = await Promise.all(calls);
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(h.server.refreshCount).toBe(1);
  });

  it('returns the second 401 to the caller and never refreshes for excluded paths', async () => {
    h = setup({ proactiveRefresh: false });
    const api = axios.create({ baseURL: BASE });
    api.defaults.adapter = adapterFor(h);
    const remove = installRotorInterceptor(api, h.client);
    await signIn(h);
    h.server.rejectAllTokens = true;

    const error = (await api.get('/api/demo/time').catch((e: unknown) => e)) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(h.server.refreshCount).toBe(1);
    expect(h.server.protectedCount).toBe(2);

    const login = (await api.post('/auth/login', JSON.stringify({ username: 'x', password: 'y' })).catch(
      (e: unknown) => e,
    )) as AxiosError;
    expect(login.response?.status).toBe(401);
    expect(h.server.refreshCount).toBe(1);

    remove();
    await api.get('/api/demo/time').catch(() => undefined);
    expect(h.server.requests.at(-1)!.headers.get('Authorization')).toBeNull();
  });

  it('rejects waiting requests with SessionExpiredError when the session is over', async () => {
    h = setup({ proactiveRefresh: false });
    const api = axios.create({ baseURL: BASE });
    api.defaults.adapter = adapterFor(h);
    installRotorInterceptor(api, h.client);
    await signIn(h);
    h.server.expireTokens();
    h.server.refreshMode = 'unauthorized';
    const results = await Promise.allSettled([api.get('/api/demo/time'), api.get('/api/demo/time')]);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(SessionExpiredError);
    expect(h.onSessionExpired).toHaveBeenCalledTimes(1);
  });
});
