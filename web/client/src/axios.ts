/**
 * `@rotor/client/axios`: installs Rotor's rules on an axios instance the app already has.
 * axios is a peer dependency of this entry only; the types below are structural so this file
 * imports nothing from axios at run time or at compile time.
 */
import type { RotorClient } from './contract.js';
import { axiosTarget } from './target.js';

/** The part of an axios request config this adapter reads and writes. */
export interface AxiosRequestConfigLike {
  url?: string;
  baseURL?: string;
  allowAbsoluteUrls?: boolean;
  withCredentials?: boolean;
  headers?: unknown;
  [key: string]: unknown;
}

export interface AxiosErrorLike {
  config?: AxiosRequestConfigLike;
  response?: { status?: number };
}

/**
 * Interceptor callbacks. `any` on purpose: axios's own generic signatures differ between minor
 * versions, and a structural type any of them satisfies keeps axios out of this package's types.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Callback = (value: any) => any;

/** The part of an axios instance this adapter uses. */
export interface AxiosInstanceLike {
  interceptors: {
    request: { use(onFulfilled?: Callback, onRejected?: Callback): number; eject(id: number): void };
    response: { use(onFulfilled?: Callback, onRejected?: Callback): number; eject(id: number): void };
  };
  defaults: { baseURL?: string; allowAbsoluteUrls?: boolean };
  request(config: never): Promise<unknown>;
}

/** Marks a config that has been retried once; a second 401 goes back to the caller. */
const RETRIED = '__rotorRetried';
/** The token a request was sent with, to tell whether someone refreshed since. */
const USED_TOKEN = '__rotorToken';

/**
 * Installs request and response interceptors on `instance`: requests to the Rotor server get
 * `withCredentials`, `X-Requested-With` and the access token; a 401 on a non-excluded request
 * waits for the single shared refresh and is retried once. Returns a function that removes them.
 */
export function installRotorInterceptor(instance: AxiosInstanceLike, client: RotorClient): () => void {
  const hooks = client.hooks;

  const requestId = instance.interceptors.request.use(async (config: AxiosRequestConfigLike) => {
    // Where axios will really send it (a `//host` URL is not joined to baseURL): only the Rotor server gets the token.
    const url = axiosTarget(config, instance.defaults);
    if (url === null || !hooks.isRotorUrl(url)) return config;
    config.withCredentials = true;
    if (!getHeader(config, 'X-Requested-With')) setHeader(config, 'X-Requested-With', hooks.requestedWith);
    if (hooks.isExcluded(url)) return config;
    const own = getHeader(config, 'Authorization');
    if (own && own !== `Bearer ${String(config[USED_TOKEN] ?? '')}`) return config;
    const token = await hooks.tokenForRequest();
    if (token) {
      setHeader(config, 'Authorization', `Bearer ${token}`);
      config[USED_TOKEN] = token;
    }
    return config;
  });

  const responseId = instance.interceptors.response.use(undefined, async (error: AxiosErrorLike) => {
    const config = error?.config;
    if (!config || error.response?.status !== 401 || config[RETRIED] || typeof config[USED_TOKEN] !== 'string') {
      throw error;
    }
    const url = axiosTarget(config, instance.defaults);
    if (url === null || !hooks.isRotorUrl(url) || hooks.isExcluded(url)) throw error;
    const token = await hooks.recoverFromUnauthorized(config[USED_TOKEN]);
    config[RETRIED] = true;
    config[USED_TOKEN] = token;
    setHeader(config, 'Authorization', `Bearer ${token}`);
    return instance.request(config as never);
  });

  return () => {
    instance.interceptors.request.eject(requestId);
    instance.interceptors.response.eject(responseId);
  };
}

interface HeaderBag {
  get?(name: string): unknown;
  set?(name: string, value: string): unknown;
  [key: string]: unknown;
}

function getHeader(config: AxiosRequestConfigLike, name: string): string | undefined {
  const headers = config.headers as HeaderBag | undefined;
  if (!headers) return undefined;
  if (typeof headers.get === 'function') {
    const value = headers.get(name);
    return value == null || value === false ? undefined : String(value);
  }
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? String(headers[key]) : undefined;
}

function setHeader(config: AxiosRequestConfigLike, name: string, value: string): void {
  let headers = config.headers as HeaderBag | undefined;
  if (!headers) {
    headers = {};
    config.headers = headers;
  }
  if (typeof headers.set === 'function') {
    headers.set(name, value);
    return;
  }
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
  headers[key] = value;
}
