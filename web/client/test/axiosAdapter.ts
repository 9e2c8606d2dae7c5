import axios, { AxiosError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { Harness } from './helpers.js';

/**
 * An axios adapter that hands each request to the fake server's fetch, with the URL axios builds
 * (`getUri`); the fake server resolves a relative one against its `documentBase`, as the browser does.
 */
export function adapterFor(harness: Harness): AxiosAdapter {
  return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    const url = axios.getUri(config);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(config.headers.toJSON())) if (typeof v === 'string') headers[k] = v;
    const response = await harness.server.fetch(url, {
      method: (config.method ?? 'get').toUpperCase(),
      headers,
      credentials: config.withCredentials ? 'include' : 'same-origin',
      body: typeof config.data === 'string' ? config.data : undefined,
    });
    const text = await response.text();
    const result: AxiosResponse = {
      data: text ? JSON.parse(text) : null,
      status: response.status,
      statusText: response.statusText,
      headers: Object.fromEntries(response.headers),
      config,
    };
    if (response.status >= 400) {
      throw new AxiosError(`status ${response.status}`, 'ERR_BAD_RESPONSE', config, null, result);
    }
    return result;
  };
}
