// The admin page's data and pure helpers (no React, no client), so the unit tests can import them.

/** A user as `GET /admin/users` and `GET /admin/users/{id}` describe them. */
export interface AdminUser {
  id: string;
  userName: string | null;
  email: string | null;
  emailConfirmed: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  twoFactorEnabled: boolean;
}

export interface AdminUserPage {
  items: AdminUser[];
  hasMore: boolean;
}

/** One live session of a user, from `GET /admin/users/{id}/sessions`. */
export interface AdminSession {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  authenticatedAt: string | null;
  mode: string;
  userAgent: string | null;
  ipAddress: string | null;
}

export interface AdminEvent {
  id: number;
  type: string;
  occurredAt: string;
  ipAddress: string | null;
  userAgent: string | null;
  detail: string | null;
  sessionId: string | null;
  actorId?: string | null;
}

export interface AdminEventPage {
  items: AdminEvent[];
  next: number | null;
  hasMore: boolean;
}

export type MatchMode = 'prefix' | 'exact';

/** The search URL: the query trimmed, prefix or exact, one page. */
export function searchPath(query: string, match: MatchMode, page = 1, limit = 20): string {
  const params = new URLSearchParams({ match, limit: String(limit), page: String(page) });
  const q = query.trim();
  if (q) params.set('q', q);
  return `/admin/users?${params}`;
}

export function userPath(id: string, rest = ''): string {
  return `/admin/users/${encodeURIComponent(id)}${rest}`;
}

/** Whether the account is locked now (a lock in the past has ended). */
export function isLocked(user: Pick<AdminUser, 'lockedUntil'>, now: Date = new Date()): boolean {
  if (!user.lockedUntil) return false;
  const until = new Date(user.lockedUntil);
  return Number.isNaN(until.getTime()) || until > now;
}

/** How the lock reads: "until further notice" for the admin's indefinite lock, else its end. */
export function describeLock(user: Pick<AdminUser, 'lockedUntil'>, now: Date = new Date()): string {
  if (!isLocked(user, now)) return 'Active';
  const until = new Date(user.lockedUntil!);
  return until.getUTCFullYear() >= 9999 || Number.isNaN(until.getTime()) ? 'Locked until unlocked' : `Locked until ${until.toLocaleString()}`;
}

const ADMIN_LABELS: Record<string, string> = {
  admin_session_revoked: 'Session ended by an administrator',
  admin_sessions_revoked: 'All sessions ended by an administrator',
  admin_locked: 'Account locked by an administrator',
  admin_unlocked: 'Account unlocked by an administrator',
  admin_viewed: 'Viewed by an administrator',
  login_succeeded: 'Signed in',
  login_failed: 'Failed sign-in attempt',
  locked_out: 'Locked after failed attempts',
  logout: 'Signed out',
  session_revoked: 'Session ended',
  refresh_token_reused: 'Token reuse detected: session ended',
};

/** A human label for an event type in the admin's view of a log. */
export function adminEventLabel(type: string): string {
  return ADMIN_LABELS[type] ?? type.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}
