import {
  createRotorClient,
  RotorApiError,
  toApiError,
  type RotorUser,
} from '@rotor/client';
import { useSyncExternalStore } from 'react';
import { endingKey, endingMessage } from './endings';
import { navigate } from './router';

const PROACTIVE_KEY = 'rotor-demo:proactive';

/**
 * Whether to refresh ahead of expiry. A display preference (never a token), kept per tab so the
 * end-to-end tests can switch it off with `?proactive=off` and watch refresh-on-401 instead.
 */
function readProactivePreference(): boolean {
  const fromUrl = new URLSearchParams(window.location.search).get('proactive');
  if (fromUrl === 'off' || fromUrl === 'on') window.sessionStorage.setItem(PROACTIVE_KEY, fromUrl);
  return window.sessionStorage.getItem(PROACTIVE_KEY) !== 'off';
}

export function setProactivePreference(enabled: boolean): void {
  window.sessionStorage.setItem(PROACTIVE_KEY, enabled ? 'on' : 'off');
  client.setProactiveRefresh(enabled);
}

export const client = createRotorClient({
  baseUrl: window.location.origin,
  proactiveRefresh: readProactivePreference(),
  onSessionExpired: (info) => {
    // The reason rides in the URL, so the login page says the same thing after a reload. What really happened
    // (the server's revocation reason, or the reason another tab gave) wins over the bare code.
    const here = window.location.pathname + window.location.search;
    const next = here.startsWith('/login') ? '' : `&next=${encodeURIComponent(here)}`;
    navigate(`/login?reason=${encodeURIComponent(endingKey(info))}${next}`, { replace: true });
  },
});

/** The access token's lifetime as this tab last saw it (ms); what "not used for a while" is measured in. */
let tokenLifetimeMs: number | null = null;
function noteTokenLifetime(): void {
  const expiry = client.getAccessTokenExpiry();
  if (expiry) tokenLifetimeMs = Math.max(0, expiry.getTime() - Date.now());
}
client.on('login', noteTokenLifetime);
client.on('refresh', noteTokenLifetime);

export function accessTokenLifetimeMs(): number | null {
  return tokenLifetimeMs;
}

// ---- activity log: every silent refresh, as it happens --------------------------------------

export interface ActivityEntry {
  id: number;
  at: Date;
  kind: 'login' | 'refresh' | 'refreshFailed' | 'sessionExpired' | 'logout';
  text: string;
}

let activity: ActivityEntry[] = [];
let activitySeq = 0;
const activityListeners = new Set<() => void>();

function record(kind: ActivityEntry['kind'], text: string): void {
  activity = [{ id: ++activitySeq, at: new Date(), kind, text }, ...activity].slice(0, 50);
  for (const l of activityListeners) l();
}

const REASONS: Record<string, string> = {
  proactive: 'before expiry',
  unauthorized: 'after a 401',
  expired: 'token had expired',
  restore: 'page load',
  manual: 'on request',
  broadcast: 'shared by another tab',
};

client.on('refresh', (e) =>
  record(
    'refresh',
    e.reason === 'reauthenticate'
      ? `Password confirmed; new token valid until ${e.expiresAt.toLocaleTimeString()}`
      : `Silent refresh (${REASONS[e.reason] ?? e.reason}); new token valid until ${e.expiresAt.toLocaleTimeString()}`,
  ),
);
client.on('refreshFailed', (e) =>
  record('refreshFailed', `Refresh failed (${e.error.message}); next try at ${e.retryAt.toLocaleTimeString()}`),
);
client.on('login', (e) => record('login', e.source === 'local' ? 'Signed in' : 'Signed in from another tab'));
client.on('logout', (e) =>
  record('logout', e.source === 'remote' ? 'Signed out in another tab' : e.source === 'everywhere' ? 'Signed out on all devices' : 'Signed out'),
);
client.on('sessionExpired', (e) => record('sessionExpired', `Session ended: ${endingMessage(endingKey(e))}`));


export function useActivity(): ActivityEntry[] {
  return useSyncExternalStore(
    (l) => {
      activityListeners.add(l);
      return () => activityListeners.delete(l);
    },
    () => activity,
  );
}

// ---- auth state ------------------------------------------------------------------------------

export type AuthStatus = 'loading' | 'ready' | 'unavailable';

let status: AuthStatus = 'loading';
const statusListeners = new Set<() => void>();
function setStatus(next: AuthStatus): void {
  status = next;
  for (const l of statusListeners) l();
}

/** At page load: one POST /auth/refresh turns the HttpOnly cookie into an access token. */
export async function restoreSession(): Promise<void> {
  setStatus('loading');
  try {
    await client.restore();
    setStatus('ready');
  } catch {
    setStatus('unavailable');
  }
}

export function useAuthStatus(): AuthStatus {
  return useSyncExternalStore(
    (l) => {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    () => status,
  );
}

export function useUser(): RotorUser | null {
  return useSyncExternalStore(
    (l) => client.on('change', l),
    () => client.getUser(),
  );
}

export function useTokenExpiry(): number | null {
  return useSyncExternalStore(
    (l) => client.on('change', l),
    () => client.getAccessTokenExpiry()?.getTime() ?? null,
  );
}

// ---- JSON calls through the client -----------------------------------------------------------

/** Calls the Rotor server through `client.fetch` (token, refresh on 401, one retry). */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await client.fetch(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204 || response.status === 202) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export function isCode(error: unknown, code: string): boolean {
  return error instanceof RotorApiError && error.code === code;
}
