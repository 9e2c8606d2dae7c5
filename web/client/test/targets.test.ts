import axios from 'axios';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installRotorInterceptor } from '../src/axios.js';
import { axiosTarget } from '../src/target.js';
import { adapterFor } from './axiosAdapter.js';
import { BASE, type FakeRotorServer } from './fakeServer.js';
import { setup, signIn, type Harness } from './helpers.js';

let h: Harness;
afterEach(() => {
  h?.client.close();
  vi.unstubAllGlobals();
});

const EVIL = 'http://evil.example';
const EVIL_TLS = 'https://evil.example';

/** Whatever the URL looked like: the token, the CSRF header and the cookie went to the Rotor server only. */
function expectTokenOnlyAtRotor(server: FakeRotorServer): void {
  for (const r of server.requests) {
    if (r.origin === BASE) continue;
    expect({ origin: r.origin, authorization: r.headers.get('Authorization') }).toEqual({
      origin: r.origin,
      authorization: null,
    });
    expect(r.headers.get('X-Requested-With')).toBeNull();
    expect(r.credentials).not.toBe('include');
  }
}

function lastSent(server: FakeRotorServer): { origin: string; path: string; token: string | null } {
  const r = server.requests.at(-1)!;
  return { origin: r.origin, path: r.path, token: r.headers.get('Authorization') };
}

/** [input as the app writes it, where fetch really sends it]. */
const FETCH_CASES: [string, string][] = [
  ['//evil.example/x', EVIL],
  ['https://evil.example/x', EVIL_TLS],
  ['HTTPS://EVIL.EXAMPLE/x', EVIL_TLS],
  ['\\\\evil.example\\x', EVIL],
  ['/\\evil.example/x', EVIL],
  [' //evil.example/x', EVIL],
  ['\t//evil.example/x', EVIL],
  ['/\t/evil.example/x', EVIL],
  ['\n/\r\\evil.example/x', EVIL],
  ['https:evil.example/x', EVIL_TLS],
  // Same scheme as the base, no slashes: the parser reads a relative path, so this is the Rotor server.
  ['http:evil.example', BASE],
];

describe('rotor.fetch sends the token only where the request really goes', () => {
  it.each(FETCH_CASES)('%j goes to %s, with the token only if that is Rotor', async (input, origin) => {
    h = setup({ proactiveRefresh: false });
    h.server.documentBase = `${BASE}/app/`;
    await signIn(h);
    await h.client.fetch(input);
    expect(lastSent(h.server).origin).toBe(origin);
    if (origin === BASE) expect(lastSent(h.server).token).toBe('Bearer at-1');
    expectTokenOnlyAtRotor(h.server);
  });

  it.each(FETCH_CASES)('under a base path, %j goes to %s', async (input, origin) => {
    h = setup({ proactiveRefresh: false, baseUrl: `${BASE}/idp` });
    h.server.documentBase = `${BASE}/app/`;
    h.server.basePath = '/idp';
    await signIn(h);
    await h.client.fetch(input);
    // `/\host` and `/<tab>/host` are other hosts to fetch; they were once read as paths under /idp.
    expect(lastSent(h.server).origin).toBe(origin);
    expectTokenOnlyAtRotor(h.server);
  });

  it('reads URL objects, URL-likes from another frame and Request objects like fetch does', async () => {
    h = setup({ proactiveRefresh: false });
    await signIn(h);

    await h.client.fetch(new URL('//evil.example/x', BASE));
    expect(lastSent(h.server)).toMatchObject({ origin: EVIL, token: null });
    await h.client.fetch(new Request('HTTPS://evil.example/x'));
    expect(lastSent(h.server)).toMatchObject({ origin: EVIL_TLS, token: null });
    const foreignEvil = { href: '//evil.example/x', toString: () => '//evil.example/x' } as unknown as URL;
    await h.client.fetch(foreignEvil);
    expect(lastSent(h.server)).toMatchObject({ origin: EVIL, token: null });

    // A URL object of another realm is no `instanceof URL`: it used to go out without the token.
    const foreignRotor = { toString: () => `${BASE}/api/demo/time` } as unknown as URL;
    const response = await h.client.fetch(foreignRotor);
    expect(response.status).toBe(200);
    expect(lastSent(h.server)).toMatchObject({ origin: BASE, token: 'Bearer at-1' });
    expectTokenOnlyAtRotor(h.server);
  });

  it('still sends relative paths to the Rotor server with the token', async () => {
    h = setup({ proactiveRefresh: false, baseUrl: `${BASE}/idp/` });
    h.server.documentBase = 'http://app.example/';
    h.server.basePath = '/idp';
    await signIn(h);
    await h.client.fetch('/api/demo/time');
    expect(lastSent(h.server)).toEqual({ origin: BASE, path: '/idp/api/demo/time', token: 'Bearer at-1' });
    await h.client.fetch('api/demo/time');
    expect(lastSent(h.server)).toEqual({ origin: BASE, path: '/idp/api/demo/time', token: 'Bearer at-1' });
  });
});

/** [url, where axios (with baseURL = BASE) really sends it, or null when axios refuses to send it]. */
const AXIOS_CASES: [string, string | null][] = [
  // axios does not join a protocol-relative URL to baseURL: it goes to the other host.
  ['//evil.example/x', EVIL],
  ['https://evil.example/x', EVIL_TLS],
  ['HTTPS://EVIL.EXAMPLE/x', EVIL_TLS],
  // Not absolute to axios (it tests the raw string), so joined to baseURL: these stay on Rotor.
  ['\\\\evil.example\\x', BASE],
  ['/\\evil.example/x', BASE],
  [' //evil.example/x', BASE],
  ['\t//evil.example/x', BASE],
  // axios refuses `http:` without `//`; nothing is sent.
  ['http:evil.example', null],
  ['/api/demo/time', BASE],
];

describe('the axios adapter sends the token only where axios really sends the request', () => {
  it.each(AXIOS_CASES)('with baseURL, %j goes to %s', async (url, origin) => {
    h = setup({ proactiveRefresh: false });
    vi.stubGlobal('location', { href: `${BASE}/app/` });
    h.server.documentBase = `${BASE}/app/`;
    const api = axios.create({ baseURL: BASE });
    api.defaults.adapter = adapterFor(h);
    installRotorInterceptor(api, h.client);
    await signIn(h);
    const before = h.server.requests.length;

    await api.get(url).catch(() => undefined);

    if (origin === null) {
      expect(h.server.requests.length).toBe(before);
    } else {
      expect(lastSent(h.server).origin).toBe(origin);
      if (origin === BASE) expect(lastSent(h.server).token).toBe('Bearer at-1');
    }
    expectTokenOnlyAtRotor(h.server);
  });

  it('without baseURL, resolves like the browser: against the page, not the Rotor server', async () => {
    h = setup({ proactiveRefresh: false });
    // The app is served from another origin than the Rotor server.
    vi.stubGlobal('location', { href: 'http://app.example/page/' });
    h.server.documentBase = 'http://app.example/page/';
    const api = axios.create();
    api.defaults.adapter = adapterFor(h);
    installRotorInterceptor(api, h.client);
    await signIn(h);

    await api.get('/api/demo/time');
    expect(lastSent(h.server)).toMatchObject({ origin: 'http://app.example', token: null });
    await api.get('\\\\evil.example\\x');
    expect(lastSent(h.server)).toMatchObject({ origin: EVIL, token: null });
    await api.get('//evil.example/x');
    expect(lastSent(h.server)).toMatchObject({ origin: EVIL, token: null });
    const ok = await api.get(`${BASE}/api/demo/time`);
    expect(ok.status).toBe(200);
    expect(lastSent(h.server)).toMatchObject({ origin: BASE, token: 'Bearer at-1' });
    expectTokenOnlyAtRotor(h.server);
  });

  it('honours allowAbsoluteUrls: false, which joins even absolute URLs to baseURL', async () => {
    h = setup({ proactiveRefresh: false });
    const api = axios.create({ baseURL: BASE, allowAbsoluteUrls: false });
    api.defaults.adapter = adapterFor(h);
    installRotorInterceptor(api, h.client);
    await signIn(h);
    await api.get('https://evil.example/x').catch(() => undefined);
    expect(lastSent(h.server)).toMatchObject({ origin: BASE, path: '/https://evil.example/x', token: 'Bearer at-1' });
    expectTokenOnlyAtRotor(h.server);
  });
});

describe('axiosTarget', () => {
  it('mirrors buildFullPath, then resolves against the page', () => {
    const page = `${BASE}/app/`;
    expect(axiosTarget({ url: '//evil.example/x', baseURL: BASE }, {}, page)).toBe(`${EVIL}/x`);
    expect(axiosTarget({ url: '/x' }, { baseURL: '//evil.example' }, page)).toBe(`${EVIL}/x`);
    expect(axiosTarget({ url: '/a' }, { baseURL: `${BASE}/api/` })).toBe(`${BASE}/api/a`);
    expect(axiosTarget({ url: '' }, { baseURL: `${BASE}/api` })).toBe(`${BASE}/api`);
    expect(axiosTarget({ url: 'a', baseURL: '/api' }, {}, 'http://app.example/x/')).toBe('http://app.example/api/a');
    expect(axiosTarget({ url: '//evil.example', baseURL: BASE, allowAbsoluteUrls: false })).toBe(
      `${BASE}/evil.example`,
    );
  });

  it('answers null (no token) when the target cannot be known', () => {
    // Without a page (not a browser) a relative or protocol-relative URL goes nowhere known.
    expect(axiosTarget({ url: '//evil.example/x', baseURL: BASE }, {}, undefined)).toBeNull();
    expect(axiosTarget({ url: 'http:evil.example', baseURL: BASE })).toBeNull();
    expect(axiosTarget({ url: ' \thttps:evil.example', baseURL: BASE })).toBeNull();
    expect(axiosTarget({ url: '/a', baseURL: 'http:evil.example' })).toBeNull();
    expect(axiosTarget({ url: '/a' }, {}, undefined)).toBeNull();
    expect(axiosTarget({ url: new URL(BASE) as unknown as string, baseURL: BASE })).toBeNull();
  });
});
