import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Alert } from '../components/Alert';
import { Page } from '../components/Page';
import { useIsAdmin } from '../admin';
import {
  adminEventLabel,
  describeLock,
  isLocked,
  searchPath,
  userPath,
  type AdminEventPage,
  type AdminSession,
  type AdminUser,
  type AdminUserPage,
  type MatchMode,
} from '../adminModel';
import { messageFor } from '../messages';
import { api } from '../rotor';
import { describeUserAgent } from '../userAgent';
import './Admin.css';

function when(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** The operator page: find a user, then see and end their sessions, lock or unlock them, read their log. */
export function Admin() {
  const admin = useIsAdmin();
  const [query, setQuery] = useState('');
  const [match, setMatch] = useState<MatchMode>('prefix');
  const [results, setResults] = useState<AdminUserPage | null>(null);
  const [selected, setSelected] = useState<AdminUser | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function search(event?: FormEvent) {
    event?.preventDefault();
    setError(null);
    try {
      setResults(await api<AdminUserPage>(searchPath(query, match)));
    } catch (e) {
      setError(messageFor(e));
    }
  }

  if (!admin) {
    return (
      <Page title="Admin" intro="This page is for the site's administrators.">
        <p className="muted">Your account is not an administrator.</p>
      </Page>
    );
  }

  return (
    <Page title="Admin" intro="Find a user to see their sessions and security log, end sessions, or lock the account." wide>
      <Alert>{error}</Alert>
      <form className="card admin-search" onSubmit={search} role="search" aria-label="Find a user">
        <label htmlFor="admin-query">Username or email</label>
        <div className="actions">
          <input id="admin-query" type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
          <select aria-label="Match" value={match} onChange={(e) => setMatch(e.target.value as MatchMode)}>
            <option value="prefix">Starts with</option>
            <option value="exact">Exactly</option>
          </select>
          <button type="submit" className="primary">
            Search
          </button>
        </div>
      </form>

      {results ? (
        <section aria-labelledby="admin-results">
          <h2 id="admin-results">Users</h2>
          {results.items.length === 0 ? <p className="muted">No user matches.</p> : null}
          <ul className="sessions">
            {results.items.map((u) => (
              <li key={u.id} className="card session">
                <div>
                  <p className="session-title">
                    {u.userName ?? u.id}
                    {isLocked(u) ? <span className="badge">Locked</span> : null}
                  </p>
                  <p className="muted">{u.email}</p>
                </div>
                <button type="button" className="secondary" onClick={() => setSelected(u)} aria-label={`Manage ${u.userName ?? u.id}`}>
                  Manage
                </button>
              </li>
            ))}
          </ul>
          {results.hasMore ? <p className="muted">More users match: narrow the search.</p> : null}
        </section>
      ) : null}

      {selected ? <UserPanel key={selected.id} initial={selected} onChanged={() => void search()} /> : null}
    </Page>
  );
}

function UserPanel({ initial, onChanged }: { initial: AdminUser; onChanged(): void }) {
  const [user, setUser] = useState(initial);
  const [sessions, setSessions] = useState<AdminSession[] | null>(null);
  const [log, setLog] = useState<AdminEventPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = user.userName ?? user.id;

  const load = useCallback(async () => {
    try {
      const [fresh, list, events] = await Promise.all([
        api<AdminUser>(userPath(user.id)),
        api<AdminSession[]>(userPath(user.id, '/sessions')),
        api<AdminEventPage>(userPath(user.id, '/events?limit=20')),
      ]);
      setUser(fresh);
      setSessions(list);
      setLog(events);
      setError(null);
    } catch (e) {
      setError(messageFor(e));
    }
  }, [user.id]);

  useEffect(() => {
    void load();
  }, [load]);

  async function act(work: () => Promise<string>) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await work());
      await load();
      onChanged();
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusy(false);
    }
  }

  const revokeOne = (s: AdminSession) =>
    act(async () => {
      await api(userPath(user.id, `/sessions/${encodeURIComponent(s.id)}`), { method: 'DELETE' });
      return `Signed out ${describeUserAgent(s.userAgent)}.`;
    });
  const revokeAll = () =>
    act(async () => {
      const { revoked } = await api<{ revoked: number }>(userPath(user.id, '/sessions'), { method: 'DELETE' });
      return `Ended ${revoked} session${revoked === 1 ? '' : 's'} of ${name}.`;
    });
  const lock = () =>
    act(async () => {
      const { revoked } = await api<{ revoked: number }>(userPath(user.id, '/lock'), { method: 'POST' });
      return `Locked ${name}; ${revoked} session${revoked === 1 ? '' : 's'} ended.`;
    });
  const unlock = () =>
    act(async () => {
      await api(userPath(user.id, '/unlock'), { method: 'POST' });
      return `Unlocked ${name}.`;
    });

  async function older() {
    if (!log?.next) return;
    try {
      const page = await api<AdminEventPage>(userPath(user.id, `/events?limit=20&before=${log.next}`));
      setLog({ items: [...log.items, ...page.items], next: page.next, hasMore: page.hasMore });
    } catch (e) {
      setError(messageFor(e));
    }
  }

  return (
    <section className="card admin-user" aria-labelledby="admin-user">
      <h2 id="admin-user">{name}</h2>
      <Alert>{error}</Alert>
      <Alert kind="success">{notice}</Alert>
      <dl className="facts">
        <div>
          <dt>Email</dt>
          <dd>{user.email ?? '—'}</dd>
        </div>
        <div>
          <dt>Verified</dt>
          <dd>{user.emailConfirmed ? 'Yes' : 'No'}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{describeLock(user)}</dd>
        </div>
        <div>
          <dt>Last sign-in</dt>
          <dd>{when(user.lastLoginAt)}</dd>
        </div>
        <div>
          <dt>Two-step sign-in</dt>
          <dd>{user.twoFactorEnabled ? 'On' : 'Off'}</dd>
        </div>
      </dl>
      <div className="actions">
        {isLocked(user) ? (
          <button type="button" className="secondary" onClick={unlock} disabled={busy}>
            Unlock account
          </button>
        ) : (
          <button type="button" className="danger" onClick={lock} disabled={busy}>
            Lock account
          </button>
        )}
        <button type="button" className="danger" onClick={revokeAll} disabled={busy || !sessions?.length}>
          Sign out all sessions
        </button>
      </div>

      <h3 id="admin-sessions">Sessions</h3>
      {sessions === null ? <p className="muted">Loading sessions…</p> : null}
      {sessions?.length === 0 ? <p className="muted">No live session.</p> : null}
      <ul className="sessions" aria-labelledby="admin-sessions">
        {sessions?.map((s) => (
          <li key={s.id} className="card session">
            <div>
              <p className="session-title">{describeUserAgent(s.userAgent)}</p>
              <dl className="facts">
                <div>
                  <dt>Address</dt>
                  <dd>{s.ipAddress ?? 'unknown'}</dd>
                </div>
                <div>
                  <dt>Kind</dt>
                  <dd>{s.mode === 'browser' ? 'Browser (cookie)' : 'App (token)'}</dd>
                </div>
                <div>
                  <dt>Signed in</dt>
                  <dd>{when(s.createdAt)}</dd>
                </div>
                <div>
                  <dt>Last active</dt>
                  <dd>{when(s.lastUsedAt)}</dd>
                </div>
              </dl>
            </div>
            <button
              type="button"
              className="danger"
              onClick={() => revokeOne(s)}
              disabled={busy}
              aria-label={`Sign out ${describeUserAgent(s.userAgent)}${s.ipAddress ? ` at ${s.ipAddress}` : ''}`}
            >
              Sign out
            </button>
          </li>
        ))}
      </ul>

      <h3 id="admin-log">Security log</h3>
      {log === null ? <p className="muted">Loading…</p> : null}
      {log !== null ? (
        <div className="table-wrap">
          <table className="events" aria-labelledby="admin-log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Device</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {log.items.map((e) => (
                <tr key={e.id} data-type={e.type}>
                  <td data-label="When">
                    <time dateTime={e.occurredAt}>{when(e.occurredAt)}</time>
                  </td>
                  <td data-label="Event">
                    {adminEventLabel(e.type)}
                    {e.actorId ? <span className="muted"> · by admin {e.actorId.slice(0, 8)}</span> : null}
                  </td>
                  <td data-label="Device">{e.userAgent ? describeUserAgent(e.userAgent) : '—'}</td>
                  <td data-label="Address">{e.ipAddress ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {log?.hasMore ? (
        <button type="button" className="secondary" onClick={older}>
          Older events
        </button>
      ) : null}
    </section>
  );
}
