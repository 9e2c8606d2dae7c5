/** The endpoints whose 401 never triggers a refresh, relative to the base URL. */
export const DEFAULT_EXCLUDED_PATHS: readonly string[] = [
  '/auth/login',
  '/auth/register',
  '/auth/refresh',
  '/auth/verify-otp',
  '/auth/login/mfa',
];

/** Resolves request URLs against the Rotor base URL and classifies them. */
export class RotorUrls {
  private readonly origin: string;
  /** The base URL's path without a trailing slash ('' for the origin's root). */
  private readonly basePath: string;
  private readonly excluded: Set<string>;

  constructor(baseUrl: string, excludedPaths: readonly string[] | undefined) {
    const pageHref = (globalThis as { location?: { href?: string } }).location?.href;
    let base: URL;
    try {
      base = pageHref ? new URL(baseUrl, pageHref) : new URL(baseUrl);
    } catch {
      throw new TypeError(
        `createRotorClient: baseUrl "${baseUrl}" is not a valid URL; pass an absolute URL such as "https://auth.example.com".`,
      );
    }
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    // The refresh endpoint is always excluded: a 401 from it must end the session, not recurse.
    this.excluded = new Set(
      [...(excludedPaths ?? DEFAULT_EXCLUDED_PATHS), '/auth/refresh'].map(normalisePath),
    );
  }

  /**
   * The URL a request for `input` goes to: `/auth/login` → `https://server/prefix/auth/login`, `api/x`
   * → `https://server/prefix/api/x`, and anything else exactly as the URL parser (and so `fetch`) reads
   * it against the base: leading spaces and control characters are dropped, tabs and newlines inside are
   * removed and `\` is a `/`, so `//host`, `/\host`, `\\host` and `/<tab>/host` are other hosts and
   * `HTTPS://HOST` is a scheme. `rotor.fetch` sends the string returned here, so the decision about the
   * token is made on the very URL the request goes to. Throws a `TypeError` for a URL that cannot be parsed.
   */
  resolve(input: string | URL): string {
    const text = parserView(String(input));
    if (PATH_FROM_ROOT.test(text)) return new URL(`${this.basePath}/${text.slice(1)}`, this.origin).href;
    return new URL(text, `${this.origin}${this.basePath}/`).href;
  }

  /** True for URLs on the Rotor server (same origin, under the base path): only these get the token. */
  isRotor(url: string): boolean {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (u.origin !== this.origin) return false;
    return this.basePath === '' || u.pathname === this.basePath || u.pathname.startsWith(`${this.basePath}/`);
  }

  isExcluded(url: string): boolean {
    if (!this.isRotor(url)) return false;
    const path = new URL(url).pathname.slice(this.basePath.length) || '/';
    return this.excluded.has(normalisePath(path));
  }
}

/** One `/` (or `\`, the same to the parser for http and https) not followed by another: a path from the root. */
const PATH_FROM_ROOT = /^[/\\](?![/\\])/;

/**
 * What the WHATWG URL parser looks at: leading and trailing C0 controls and spaces stripped, and every
 * tab, line feed and carriage return removed.
 */
function parserView(input: string): string {
  // eslint-disable-next-line no-control-regex
  return input.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
}

function normalisePath(path: string): string {
  const withSlash = path.startsWith('/') ? path : `/${path}`;
  return (withSlash.length > 1 ? withSlash.replace(/\/+$/, '') : withSlash).toLowerCase();
}
