export interface SecurityEvent {
  id?: string;
  type: string;
  occurredAt: string;
  ipAddress?: string | null;
  userAgent?: string | null;
  detail?: string | null;
}

export interface EventPage {
  items: SecurityEvent[];
  hasMore: boolean;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : typeof value === 'number' ? String(value) : undefined;
}

/**
 * Reads a page of `GET /auth/events`: either a bare array or `{ items | events, total? }`, with
 * the usual spellings of each field accepted, so the page keeps working as the contract settles.
 */
export function normaliseEvents(body: unknown, page: number, pageSize: number): EventPage {
  let raw: unknown[] = [];
  let total: number | undefined;
  if (Array.isArray(body)) raw = body;
  else if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const list = b.items ?? b.events ?? b.data ?? b.results;
    if (Array.isArray(list)) raw = list;
    const t = b.total ?? b.totalCount ?? b.count;
    if (typeof t === 'number') total = t;
    if (typeof b.hasMore === 'boolean') return { items: raw.map(toEvent).filter(isEvent), hasMore: b.hasMore };
  }
  const items = raw.map(toEvent).filter(isEvent);
  const hasMore = total !== undefined ? page * pageSize < total : raw.length >= pageSize;
  return { items, hasMore };
}

function toEvent(value: unknown): SecurityEvent | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const type = str(v.type) ?? str(v.eventType) ?? str(v.kind) ?? str(v.event);
  const occurredAt = str(v.occurredAt) ?? str(v.createdAt) ?? str(v.timestamp) ?? str(v.at) ?? str(v.time);
  if (!type || !occurredAt) return null;
  return {
    id: str(v.id),
    type,
    occurredAt,
    ipAddress: str(v.ipAddress) ?? str(v.ip) ?? null,
    userAgent: str(v.userAgent) ?? null,
    detail: str(v.detail) ?? str(v.reason) ?? null,
  };
}

function isEvent(e: SecurityEvent | null): e is SecurityEvent {
  return e !== null;
}
