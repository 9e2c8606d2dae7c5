import type { ResolvedOptions } from './defaults.js';
import type { SessionKeeper } from './session.js';
import { isRequest } from './target.js';
import type { RefreshReason, SessionState } from './types.js';

/**
 * The app's requests through the client: the token attached only for the Rotor server, a refresh first when the
 * token is known to be expired, and after a 401 one shared refresh and exactly one retry.
 */
export class AuthorizedRequests {
  constructor(
    private readonly options: ResolvedOptions,
    private readonly keeper: SessionKeeper,
    private readonly refresh: (reason: RefreshReason) => Promise<SessionState>,
  ) {}

  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const { urls, requestedWith } = this.options;
    // A Request carries its absolute URL; anything else (a URL of another frame too) is read through
    // String() as fetch reads it, and the resolved URL is what is sent: the decision is on the real target.
    const request = isRequest(input) ? input : null;
    const url = request ? request.url : urls.resolve(String(input));
    if (!urls.isRotor(url)) {
      // Another server: never send it the token or the cookie.
      return this.options.fetch(request ?? url, init);
    }

    const base = new Request(request ?? url, { ...init, credentials: 'include' });
    if (!base.headers.has('X-Requested-With')) base.headers.set('X-Requested-With', requestedWith);

    // Excluded endpoints and requests that carry their own Authorization are sent as they are.
    if (urls.isExcluded(url) || base.headers.has('Authorization')) {
      return this.options.fetch(base);
    }

    const token = await this.tokenForRequest();
    const response = await this.send(base, token);
    if (response.status !== 401 || token === null) return response;

    const retryToken = await this.recoverFromUnauthorized(token);
    // Exactly one retry: a second 401 goes back to the caller, never into another refresh.
    return this.send(base, retryToken);
  }

  /** The access token to send, refreshing first when it is known to be expired; null when signed out. */
  async tokenForRequest(): Promise<string | null> {
    const session = this.keeper.session;
    if (!session) return null;
    if (session.expiresAt > this.options.now()) return session.accessToken;
    // Known to be expired by our own measure: refresh first rather than collect a 401.
    return (await this.refresh('expired')).accessToken;
  }

  /** After a 401 on a request sent with `usedToken`: the token to retry with. */
  async recoverFromUnauthorized(usedToken: string): Promise<string> {
    const session = this.keeper.session;
    if (!session) {
      // The session ended while this request was in the air.
      throw this.keeper.endedError();
    }
    if (session.accessToken !== usedToken && session.expiresAt > this.options.now()) {
      // Someone (this tab or another) refreshed after this request left: no new refresh.
      return session.accessToken;
    }
    return (await this.refresh('unauthorized')).accessToken;
  }

  private send(base: Request, token: string | null): Promise<Response> {
    const request = base.clone();
    if (token === null) return this.options.fetch(request);
    const headers = new Headers(request.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return this.options.fetch(new Request(request, { headers }));
  }
}
