/**
 * An in-memory stand-in for Rotor's HTTP contract, enough to drive the client's rules. It is a
 * fetch function, so the client under test runs unchanged.
 */
export type RefreshMode = 'ok' | 'unauthorized' | 'unavailable' | 'network' | 'rateLimited';

export interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

export function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export const BASE = 'http://rotor.test';

export class FakeRotorServer {
  readonly requests: {
    method: string;
    /** The origin the request reached: the Rotor server is BASE. */
    origin: string;
    path: string;
    headers: Headers;
    credentials: RequestCredentials;
    body: string;
  }[] = [];
  /**
   * The page's URL: relative request URLs are resolved against it, as a browser does. Unset, they are
   * refused, as Node's fetch does.
   */
  documentBase: string | undefined = undefined;
  /** The path the server is mounted under (as a client's `baseUrl` path), e.g. `/idp`. */
  basePath = '';
  refreshCount = 0;
  protectedCount = 0;
  protected401Count = 0;
  refreshMode: RefreshMode = 'ok';
  refreshCode = 'refresh_token_expired';
  /** The `reason` member of the refresh's 401 problem (the server's revocation reason), or none. */
  refreshReason: string | null = null;
  retryAfter: string | null = null;
  /** When set, a refresh waits for it before answering. */
  refreshGate: Promise<void> | null = null;
  /** When true, the protected endpoint rejects every token (to test that a retry never loops). */
  rejectAllTokens = false;
  expiresIn = 900;
  /** Lets a test put the server's clock far from the client's. */
  serverExpiresAt = '2000-01-01T00:00:00Z';
  sessionId = 'sess-1';
  readonly validTokens = new Set<string>();
  /** Two-step sign-in for alice: the password step answers `mfa_required`. */
  mfaEnabled = false;
  readonly mfaCode = '123456';
  readonly recoveryCodes = new Set(['AAAA-BBBB', 'CCCC-DDDD']);
  /** Open challenges and the wrong codes each has seen. */
  readonly challenges = new Map<string, number>();
  /** When true, the access tokens' `auth_time` is too old for sensitive actions, except reauthenticated ones. */
  authTooOld = false;
  readonly reauthenticatedTokens = new Set<string>();
  private challengeSequence = 0;
  private sequence = 0;

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request =
      typeof input === 'object' && 'url' in input
        ? new Request(input, init)
        : new Request(new URL(String(input), this.documentBase), init);
    const url = new URL(request.url);
    const body = request.method === 'GET' ? '' : await request.text();
    this.requests.push({
      method: request.method,
      origin: url.origin,
      path: url.pathname,
      headers: request.headers,
      credentials: request.credentials,
      body,
    });
    if (url.origin !== BASE || !url.pathname.startsWith(`${this.basePath}/`)) return json(200, { elsewhere: true });

    switch (`${request.method} ${url.pathname.slice(this.basePath.length)}`) {
      case 'POST /auth/login': {
        const creds = JSON.parse(body) as { username: string; password: string };
        if (creds.username !== 'alice' || creds.password !== 'correct horse') return problem(401, 'invalid_credentials');
        if (!this.mfaEnabled) return json(200, this.tokenBody());
        const challenge = `ch-${++this.challengeSequence}`;
        this.challenges.set(challenge, 0);
        return problem(401, 'mfa_required', null, { challenge, methods: ['totp', 'recovery_code'] });
      }
      case 'POST /auth/login/mfa':
        return this.loginMfa(JSON.parse(body) as Record<string, unknown>);
      case 'POST /auth/reauthenticate': {
        if (!this.authorized(request)) return this.unauthorized();
        const proof = JSON.parse(body) as { password?: string; code?: string };
        if (proof.password !== 'correct horse') return problem(401, 'invalid_credentials');
        if (this.mfaEnabled && proof.code === undefined) return problem(401, 'mfa_required');
        if (this.mfaEnabled && proof.code !== this.mfaCode) return problem(401, 'mfa_code_invalid');
        const fresh = this.tokenBody();
        this.reauthenticatedTokens.add(fresh.accessToken);
        return json(200, fresh);
      }
      case 'POST /auth/register':
        return json(201, { id: 'u-2', username: 'bob', email: 'bob@example.com' });
      case 'POST /auth/verify-otp':
        return JSON.parse(body).code === '123456' ? json(200, this.tokenBody()) : problem(400, 'otp_invalid');
      case 'POST /auth/refresh':
        return this.refresh(request);
      case 'POST /auth/logout':
        return new Response(null, { status: 204 });
      case 'POST /auth/logout-all':
        if (!this.authorized(request)) return this.unauthorized();
        if (!this.recentlyAuthenticated(request)) return problem(403, 'reauthentication_required');
        return new Response(null, { status: 204 });
      case 'GET /api/demo/time':
      case 'POST /api/echo': {
        this.protectedCount++;
        if (!this.authorized(request)) {
          this.protected401Count++;
          return this.unauthorized();
        }
        return json(200, { serverTime: '2030-01-01T00:00:00Z', echo: body });
      }
      case 'GET /public/thing':
        return problem(401, 'whatever');
      default:
        return problem(404, 'not_found');
    }
  };

  /** Makes every access token issued so far unusable, as if they had expired on the server. */
  expireTokens(): void {
    this.validTokens.clear();
  }

  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  private loginMfa(step: Record<string, unknown>): Response {
    const challenge = typeof step.challenge === 'string' ? step.challenge : '';
    if ((step.code === undefined) === (step.recoveryCode === undefined)) return problem(400, 'validation_failed');
    const wrong = this.challenges.get(challenge);
    if (wrong === undefined || wrong >= 5) return problem(401, 'mfa_challenge_invalid');
    const ok =
      step.code !== undefined
        ? step.code === this.mfaCode
        : typeof step.recoveryCode === 'string' && this.recoveryCodes.delete(step.recoveryCode);
    if (!ok) {
      this.challenges.set(challenge, wrong + 1);
      return problem(401, 'mfa_code_invalid');
    }
    this.challenges.delete(challenge);
    return json(200, this.tokenBody());
  }

  private recentlyAuthenticated(request: Request): boolean {
    const token = (request.headers.get('Authorization') ?? '').slice(7);
    return !this.authTooOld || this.reauthenticatedTokens.has(token);
  }

  private async refresh(request: Request): Promise<Response> {
    this.refreshCount++;
    if (!request.headers.get('X-Requested-With') || request.credentials !== 'include') {
      return problem(403, 'csrf_rejected');
    }
    if (this.refreshGate) await this.refreshGate;
    switch (this.refreshMode) {
      case 'ok':
        return json(200, this.tokenBody());
      case 'unauthorized':
        return problem(401, this.refreshCode, null, this.refreshReason ? { reason: this.refreshReason } : undefined);
      case 'unavailable':
        return problem(503, 'service_unavailable', this.retryAfter);
      case 'rateLimited':
        return problem(429, 'rate_limited', this.retryAfter);
      case 'network':
        throw new TypeError('Failed to fetch');
    }
  }

  private tokenBody() {
    const accessToken = `at-${++this.sequence}`;
    this.validTokens.add(accessToken);
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.expiresIn,
      expiresAt: this.serverExpiresAt,
      sessionId: this.sessionId,
      user: { id: 'u-1', username: 'alice', email: 'alice@example.com' },
    };
  }

  private authorized(request: Request): boolean {
    const header = request.headers.get('Authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    return !this.rejectAllTokens && this.validTokens.has(token);
  }

  /** As Rotor's bearer handler answers a refused access token. */
  private unauthorized(): Response {
    const response = problem(401, 'invalid_token');
    response.headers.set('WWW-Authenticate', 'Bearer error="invalid_token"');
    return response;
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function problem(
  status: number,
  code: string,
  retryAfter: string | null = null,
  extensions: Record<string, unknown> = {},
): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json' };
  if (retryAfter) headers['Retry-After'] = retryAfter;
  const body = { status, code, title: code, detail: `Problem: ${code}`, ...extensions };
  return new Response(JSON.stringify(body), { status, headers });
}

/** Polls `condition` on real timers; for events that cross a BroadcastChannel. */
export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
