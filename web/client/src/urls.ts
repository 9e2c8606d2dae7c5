/** The endpoints whose 401 never triggers a refresh, relative to the base URL. */
export const DEFAULT_EXCLUDED_PATHS: readonly string[] = [
  '/auth/login',
  '/auth/register',
  '/auth/refresh',
  '/auth/verify-otp',
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

  /** `/auth/login` → `https://server/prefix/auth/login`; absolute URLs are kept as they are. */
  resolve(input: string | URL): string {
    if (input instanceof URL) return input.href;
    if (/^[a-z][a-z0-9+.-]*:/i.test(input)) return new URL(input).href;
    if (input.startsWith('//')) return new URL(input, this.origin).href;
    if (input.startsWith('/')) return new URL(this.basePath + input, this.origin).href;
    return new URL(input, `${this.origin}${this.basePath}/`).href;
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

function normalisePath(path: string): string {
  const withSlash = path.startsWith('/') ? path : `/${path}`;
  return (withSlash.length > 1 ? withSlash.replace(/\/+$/, '') : withSlash).toLowerCase();
}
