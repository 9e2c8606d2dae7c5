/**
 * The sessions list as people read it: devices told apart by a name they recognise, the one in use now marked,
 * the rest last active first, and the ones that have not been used for a while marked idle.
 */
import { describeUserAgent } from './userAgent';

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  ipAddress: string | null;
  current: boolean;
}

export interface DeviceRow extends SessionInfo {
  /** "Chrome on Windows"; "Chrome on Windows · signed in 29 Nov, 09:14" when another row has the same name. */
  name: string;
  /** Not refreshed for `IDLE_FACTOR` access-token lifetimes: its tab is closed or asleep, or its cookie is gone. */
  idle: boolean;
}

/**
 * A browser tab that is open and visible refreshes about once per access-token lifetime; one that is hidden does
 * not, and one whose cookie is gone never will again. Five lifetimes without a refresh: probably not in use.
 */
export const IDLE_FACTOR = 5;

/** The lifetime assumed before the page has seen a token (the server's default, 15 minutes). */
export const DEFAULT_TOKEN_LIFETIME_MS = 15 * 60_000;

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

function shortDate(iso: string, seconds = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
  });
}

/** How many times each value occurs. */
function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** Whether a session that was last used at `lastUsedAt` counts as idle at `now`. The current one never does. */
export function isIdle(session: SessionInfo, now: number, tokenLifetimeMs: number | null): boolean {
  if (session.current) return false;
  const lifetime = tokenLifetimeMs && tokenLifetimeMs > 0 ? tokenLifetimeMs : DEFAULT_TOKEN_LIFETIME_MS;
  return now - time(session.lastUsedAt) > IDLE_FACTOR * lifetime;
}

/** The rows: this device first, then last active first; names made unique where the device names repeat. */
export function deviceRows(sessions: readonly SessionInfo[], now: number, tokenLifetimeMs: number | null): DeviceRow[] {
  const sorted = [...sessions].sort(
    (a, b) => Number(b.current) - Number(a.current) || time(b.lastUsedAt) - time(a.lastUsedAt) || a.id.localeCompare(b.id),
  );
  const bases = sorted.map((s) => describeUserAgent(s.userAgent));
  const baseCounts = tally(bases);
  // Same device name: tell them apart by when they signed in (to the second if the minute is shared too).
  const byMinute = sorted.map((s, i) =>
    baseCounts.get(bases[i]!)! > 1 && !s.current ? `${bases[i]} · signed in ${shortDate(s.createdAt)}` : bases[i]!,
  );
  const minuteCounts = tally(byMinute);
  return sorted.map((s, i) => {
    const name =
      minuteCounts.get(byMinute[i]!)! > 1 && !s.current ? `${bases[i]} · signed in ${shortDate(s.createdAt, true)}` : byMinute[i]!;
    return { ...s, name, idle: isIdle(s, now, tokenLifetimeMs) };
  });
}

/** "just now", "40 seconds ago", "5 minutes ago", "3 hours ago", "2 days ago". */
export function ago(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - time(iso)) / 1000));
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${seconds} seconds ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}
