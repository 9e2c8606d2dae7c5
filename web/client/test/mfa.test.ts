import { afterEach, describe, expect, it } from 'vitest';
import {
  isReauthenticationRequired,
  MfaRequiredError,
  ReauthenticationRequiredError,
  RotorApiError,
  toApiError,
  type RefreshEvent,
} from '../src/index.js';
import { FakeRotorServer, waitFor } from './fakeServer.js';
import { setup, signIn, type Harness } from './helpers.js';

let harnesses: Harness[] = [];
afterEach(() => {
  for (const x of harnesses) x.client.close();
  harnesses = [];
});

function make(overrides: Parameters<typeof setup>[0] = {}, server = new FakeRotorServer()): Harness {
  const h = setup({ proactiveRefresh: false, ...overrides }, server);
  harnesses.push(h);
  return h;
}

async function mfaChallenge(h: Harness): Promise<MfaRequiredError> {
  const error = await h.client.login({ username: 'alice', password: 'correct horse' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MfaRequiredError);
  return error as MfaRequiredError;
}

function bodyOf(h: Harness, path: string): unknown {
  return JSON.parse(h.server.requests.filter((r) => r.path === path).at(-1)!.body);
}

describe('two-step sign-in', () => {
  it('login rejects with MfaRequiredError carrying the challenge and methods, and starts no session', async () => {
    const h = make();
    h.server.mfaEnabled = true;
    const events: string[] = [];
    for (const name of ['login', 'sessionExpired', 'logout', 'change'] as const) h.client.on(name, () => events.push(name));

    const error = await mfaChallenge(h);

    expect(error).toBeInstanceOf(RotorApiError);
    expect(error).toMatchObject({ status: 401, code: 'mfa_required', challenge: 'ch-1', methods: ['totp', 'recovery_code'] });
    expect(error.name).toBe('MfaRequiredError');
    expect(h.client.isSignedIn()).toBe(false);
    expect(h.onSessionExpired).not.toHaveBeenCalled();
    expect(h.server.refreshCount).toBe(0);
    expect(events).toEqual([]);
  });

  it('completeMfa with the authenticator code signs in like login: memory, event, other tabs', async () => {
    const server = new FakeRotorServer();
    server.mfaEnabled = true;
    const tab = { channelName: `rotor-mfa-${Math.random()}`, channel: undefined };
    const a = make(tab, server);
    const b = make(tab, server);
    const logins: string[] = [];
    a.client.on('login', (e) => logins.push(`a:${e.source}`));
    b.client.on('login', (e) => logins.push(`b:${e.source}`));
    const { challenge } = await mfaChallenge(a);

    const user = await a.client.completeMfa({ challenge: challenge!, code: '123456' });

    expect(user.username).toBe('alice');
    expect(a.client.isSignedIn()).toBe(true);
    const sent = server.requests.at(-1)!;
    expect(sent.path).toBe('/auth/login/mfa');
    expect(JSON.parse(sent.body)).toEqual({ challenge: 'ch-1', code: '123456' });
    expect(sent.credentials).toBe('include');
    expect(sent.headers.get('X-Requested-With')).toBe('rotor');
    expect(sent.headers.get('Authorization')).toBeNull();
    await waitFor(() => b.client.isSignedIn());
    expect(logins).toEqual(['a:local', 'b:remote']);
    expect((await a.client.fetch('/api/demo/time')).status).toBe(200);
  });

  it('completeMfa takes a recovery code instead', async () => {
    const h = make();
    h.server.mfaEnabled = true;
    const { challenge } = await mfaChallenge(h);
    await h.client.completeMfa({ challenge: challenge!, recoveryCode: 'AAAA-BBBB' });
    expect(bodyOf(h, '/auth/login/mfa')).toEqual({ challenge: 'ch-1', recoveryCode: 'AAAA-BBBB' });
    expect(h.client.isSignedIn()).toBe(true);
  });

  it('a wrong code is a typed error without refresh; the challenge stays usable, a spent one does not', async () => {
    const h = make();
    h.server.mfaEnabled = true;
    const { challenge } = await mfaChallenge(h);

    const wrong = await h.client.completeMfa({ challenge: challenge!, code: '000000' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(RotorApiError);
    expect(wrong).toMatchObject({ status: 401, code: 'mfa_code_invalid' });
    expect(h.client.isSignedIn()).toBe(false);

    await h.client.completeMfa({ challenge: challenge!, code: '123456' });
    await h.client.logout();
    await expect(h.client.completeMfa({ challenge: challenge!, code: '123456' })).rejects.toMatchObject({
      code: 'mfa_challenge_invalid',
    });
    expect(h.server.refreshCount).toBe(0);
    expect(h.onSessionExpired).not.toHaveBeenCalled();
  });

  it('a 401 from /auth/login/mfa through client.fetch triggers no refresh', async () => {
    const h = make();
    await signIn(h);
    const response = await h.client.fetch('/auth/login/mfa', {
      method: 'POST',
      body: JSON.stringify({ challenge: 'nope', code: '1' }),
    });
    expect(response.status).toBe(401);
    expect(h.server.refreshCount).toBe(0);
  });
});

describe('reauthenticate', () => {
  it('sends the password with the bearer token and replaces the access token in memory only', async () => {
    const h = make();
    await signIn(h);
    const reasons: RefreshEvent['reason'][] = [];
    h.client.on('refresh', (e) => reasons.push(e.reason));

    const user = await h.client.reauthenticate({ password: 'correct horse' });

    expect(user.username).toBe('alice');
    const sent = h.server.requests.at(-1)!;
    expect(sent.path).toBe('/auth/reauthenticate');
    expect(sent.headers.get('Authorization')).toBe('Bearer at-1');
    expect(JSON.parse(sent.body)).toEqual({ password: 'correct horse' });
    expect(reasons).toEqual(['reauthenticate']);
    expect(h.client.getSessionId()).toBe('sess-1');
    expect(h.server.refreshCount).toBe(0);
    await h.client.fetch('/api/demo/time');
    expect(h.server.requests.at(-1)!.headers.get('Authorization')).toBe('Bearer at-2');
  });

  it('a wrong password is answered once: no refresh, no second attempt, the token is kept', async () => {
    const h = make();
    await signIn(h);
    await expect(h.client.reauthenticate({ password: 'wrong' })).rejects.toMatchObject({
      status: 401,
      code: 'invalid_credentials',
    });
    expect(h.server.count('/auth/reauthenticate')).toBe(1);
    expect(h.server.refreshCount).toBe(0);
    expect(h.client.isSignedIn()).toBe(true);
    expect(h.onSessionExpired).not.toHaveBeenCalled();
  });

  it('with two-step sign-in on, asks for the code (MfaRequiredError without a challenge), then takes it', async () => {
    const h = make();
    await signIn(h);
    h.server.mfaEnabled = true;
    const error = await h.client.reauthenticate({ password: 'correct horse' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MfaRequiredError);
    expect((error as MfaRequiredError).challenge).toBeNull();
    await expect(h.client.reauthenticate({ password: 'correct horse', code: '999999' })).rejects.toMatchObject({
      code: 'mfa_code_invalid',
    });
    await h.client.reauthenticate({ password: 'correct horse', code: '123456' });
    expect(bodyOf(h, '/auth/reauthenticate')).toEqual({ password: 'correct horse', code: '123456' });
    expect(h.client.isSignedIn()).toBe(true);
  });

  it('a refused access token is refreshed and the call retried once', async () => {
    const h = make();
    await signIn(h);
    h.server.expireTokens();
    await h.client.reauthenticate({ password: 'correct horse' });
    expect(h.server.refreshCount).toBe(1);
    expect(h.server.count('/auth/reauthenticate')).toBe(2);
    expect(h.server.requests.at(-1)!.headers.get('Authorization')).toBe('Bearer at-2');
  });

  it('shares the new token with the other tabs', async () => {
    const server = new FakeRotorServer();
    const tab = { channelName: `rotor-reauth-${Math.random()}`, channel: undefined };
    const a = make(tab, server);
    const b = make(tab, server);
    await signIn(a);
    await waitFor(() => b.client.isSignedIn());
    server.expiresIn = 1800;
    await a.client.reauthenticate({ password: 'correct horse' });
    await waitFor(() => b.client.getAccessTokenExpiry()?.getTime() === a.client.getAccessTokenExpiry()?.getTime());
    server.authTooOld = true;
    await b.client.logoutEverywhere();
    expect(server.requests.at(-1)!.headers.get('Authorization')).toBe('Bearer at-2');
  });
});

describe('reauthentication_required', () => {
  it('is a typed error apps can check, the session is kept, and the action works after reauthenticate', async () => {
    const h = make();
    await signIn(h);
    h.server.authTooOld = true;

    const error = await h.client.logoutEverywhere().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReauthenticationRequiredError);
    expect(error).toMatchObject({ status: 403, code: 'reauthentication_required' });
    expect(isReauthenticationRequired(error)).toBe(true);
    expect(isReauthenticationRequired(new RotorApiError(403, { code: 'csrf_rejected' }, null))).toBe(false);
    expect(h.client.isSignedIn()).toBe(true);
    expect(h.server.refreshCount).toBe(0);

    const response = await h.client.fetch('/auth/logout-all', { method: 'POST' });
    expect(await toApiError(response)).toBeInstanceOf(ReauthenticationRequiredError);

    await h.client.reauthenticate({ password: 'correct horse' });
    await h.client.logoutEverywhere();
    expect(h.client.isSignedIn()).toBe(false);
  });
});
