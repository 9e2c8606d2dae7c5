/**
 * Where a request will really go, decided the way the transport decides it, so the token is only
 * attached when that place is the Rotor server. `rotor.fetch` sends the URL `RotorUrls.resolve` returns;
 * axios combines `baseURL` and `url` itself and the browser resolves the result, which is mirrored here.
 */

/** A Request (of any frame): it carries its absolute URL. Anything else fetch reads with String(). */
export function isRequest(input: RequestInfo | URL): input is Request {
  return typeof input === 'object' && input !== null && typeof (input as { url?: unknown }).url === 'string';
}

/** The part of an axios request config that decides the URL. */
export interface AxiosUrlConfig {
  url?: unknown;
  baseURL?: unknown;
  allowAbsoluteUrls?: unknown;
}

/** axios's `isAbsoluteURL`: `scheme://` or `//` at the very start of the raw string, nothing trimmed. */
const AXIOS_ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i;
/** `http:host` (no `//`): newer axios refuses it, older ones send it somewhere depending on the page. */
const HTTP_WITHOUT_SLASHES = /^https?:(?!\/\/)/i;

/** The base the browser resolves a relative request URL against: the document's base URL. */
export function documentBase(): string | undefined {
  const g = globalThis as { document?: { baseURI?: unknown }; location?: { href?: unknown } };
  const fromDocument = g.document?.baseURI;
  if (typeof fromDocument === 'string' && fromDocument) return fromDocument;
  const fromLocation = g.location?.href;
  return typeof fromLocation === 'string' && fromLocation ? fromLocation : undefined;
}

/**
 * The absolute URL axios will send `config` to, or null when that cannot be known for certain (then the
 * request gets no token). Mirrors axios's `buildFullPath`: a `url` that is absolute by axios's own test,
 * which includes a protocol-relative `//host`, is NOT combined with `baseURL` (unless
 * `allowAbsoluteUrls: false`); anything else is appended to `baseURL` with one `/`. The result is then
 * resolved like XMLHttpRequest and fetch resolve it: against the document's base URL.
 */
export function axiosTarget(
  config: AxiosUrlConfig,
  defaults: AxiosUrlConfig = {},
  base: string | undefined = documentBase(),
): string | null {
  const url = config.url ?? '';
  const baseURL = config.baseURL !== undefined ? config.baseURL : defaults.baseURL;
  const allowAbsoluteUrls =
    config.allowAbsoluteUrls !== undefined ? config.allowAbsoluteUrls : defaults.allowAbsoluteUrls;
  if (typeof url !== 'string') return null;
  if (baseURL != null && typeof baseURL !== 'string') return null;
  if (looksLikeHttpWithoutSlashes(url)) return null;

  let fullPath = url;
  if (baseURL && (!AXIOS_ABSOLUTE.test(url) || allowAbsoluteUrls === false)) {
    if (looksLikeHttpWithoutSlashes(baseURL)) return null;
    fullPath = url ? `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : baseURL;
  }
  try {
    return (base === undefined ? new URL(fullPath) : new URL(fullPath, base)).href;
  } catch {
    return null;
  }
}

function looksLikeHttpWithoutSlashes(url: string): boolean {
  // What axios checks it on: the URL parser's view of the start of the string.
  // eslint-disable-next-line no-control-regex
  return HTTP_WITHOUT_SLASHES.test(url.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, ''));
}
