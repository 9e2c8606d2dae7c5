import { useEffect, useState } from 'react';
import { Alert } from '../components/Alert';
import { Page } from '../components/Page';
import { messageFor } from '../messages';
import { api } from '../rotor';
import { describeUserAgent } from '../userAgent';
import { normaliseEvents, type SecurityEvent } from '../securityEvents';
import { detailWords, eventWords } from '../words';

const PAGE_SIZE = 20;

/** "29 Nov 2026, 20:31": short enough to stay on one line beside the event. */
function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function Security() {
  const [page, setPage] = useState(1);
  const [events, setEvents] = useState<SecurityEvent[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    api<unknown>(`/auth/events?page=${page}&pageSize=${PAGE_SIZE}`)
      .then((body) => {
        if (cancelled) return;
        const result = normaliseEvents(body, page, PAGE_SIZE);
        setEvents(result.items);
        setHasMore(result.hasMore);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(messageFor(e));
      });
    return () => {
      cancelled = true;
    };
  }, [page]);

  return (
    <Page title="Security log" intro="Sign-ins, failed attempts, password changes and ended sessions on your account, newest first." wide>
      <Alert>{error}</Alert>
      {events === null && !error ? <p className="muted">Loading…</p> : null}
      {events !== null && events.length === 0 ? <p className="muted">No events on this page.</p> : null}
      {events !== null && events.length > 0 ? (
        <div className="table-wrap">
          <table className="events">
            <caption className="visually-hidden">Security events, page {page}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Device</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e, i) => (
                <tr key={e.id ?? `${e.occurredAt}-${i}`} data-type={e.type}>
                  <td data-label="When" className="when">
                    <time dateTime={e.occurredAt}>{formatWhen(e.occurredAt)}</time>
                  </td>
                  <td data-label="Event">
                    {eventWords(e.type)}
                    {detailWords(e.type, e.detail) ? <span className="muted">: {detailWords(e.type, e.detail)}</span> : null}
                  </td>
                  <td data-label="Device">{e.userAgent ? describeUserAgent(e.userAgent) : '—'}</td>
                  <td data-label="Address">{e.ipAddress ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <nav className="pager" aria-label="Security log pages">
        <button type="button" className="secondary" onClick={() => setPage((p) => p - 1)} disabled={page <= 1}>
          Newer
        </button>
        <span aria-live="polite">Page {page}</span>
        <button type="button" className="secondary" onClick={() => setPage((p) => p + 1)} disabled={!hasMore}>
          Older
        </button>
      </nav>
    </Page>
  );
}
