import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert } from '../components/Alert';
import { Page } from '../components/Page';
import { messageFor } from '../messages';
import { withReauthPrompt } from '../reauth';
import { api, client } from '../rotor';
import { navigate } from '../router';
import { describeUserAgent } from '../userAgent';

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  ipAddress: string | null;
  current: boolean;
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function Sessions() {
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const load = useCallback(async () => {
    try {
      const list = await api<SessionInfo[]>('/auth/sessions');
      list.sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt));
      setSessions(list);
      setError(null);
    } catch (e) {
      setError(messageFor(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function revoke(session: SessionInfo) {
    setBusyId(session.id);
    setNotice(null);
    setError(null);
    try {
      // Ending another device's session needs a recent sign-in: on 403 the password prompt opens, then one retry.
      await withReauthPrompt(() => api(`/auth/sessions/${encodeURIComponent(session.id)}`, { method: 'DELETE' }));
      setNotice(`Signed out ${describeUserAgent(session.userAgent)}${session.ipAddress ? ` (${session.ipAddress})` : ''}.`);
      await load();
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusyId(null);
    }
  }

  async function logoutEverywhere() {
    setError(null);
    try {
      await withReauthPrompt(() => client.logoutEverywhere());
      navigate('/login?reason=signed_out', { replace: true });
    } catch (e) {
      setError(messageFor(e));
    }
  }

  const current = sessions?.filter((s) => s.current) ?? [];
  const others = sessions?.filter((s) => !s.current) ?? [];

  return (
    <Page title="Sessions" intro="Every device signed in to your account. Sign out any you do not recognise." wide>
      <Alert>{error}</Alert>
      <Alert kind="success">{notice}</Alert>
      {sessions === null && !error ? <p className="muted">Loading sessions…</p> : null}

      {current.length > 0 ? (
        <section aria-labelledby="this-device">
          <h2 id="this-device">This device</h2>
          <ul className="sessions">
            {current.map((s) => (
              <SessionItem key={s.id} session={s} />
            ))}
          </ul>
        </section>
      ) : null}

      {sessions !== null ? (
        <section aria-labelledby="other-devices">
          <h2 id="other-devices">Other devices</h2>
          {others.length === 0 ? <p className="muted">No other device is signed in.</p> : null}
          <ul className="sessions">
            {others.map((s) => (
              <SessionItem key={s.id} session={s}>
                <button
                  type="button"
                  className="danger"
                  onClick={() => revoke(s)}
                  disabled={busyId === s.id}
                  aria-label={`Sign out ${describeUserAgent(s.userAgent)}${s.ipAddress ? ` at ${s.ipAddress}` : ''}`}
                >
                  {busyId === s.id ? 'Signing out…' : 'Sign out'}
                </button>
              </SessionItem>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card danger-zone" aria-labelledby="everywhere">
        <h2 id="everywhere">Log out everywhere</h2>
        <p className="muted">Ends every session of your account, this one included.</p>
        {confirming ? (
          <div className="actions" role="group" aria-label="Confirm logging out everywhere">
            <button type="button" className="danger" onClick={logoutEverywhere} autoFocus>
              Yes, log out everywhere
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Log out everywhere
          </button>
        )}
      </section>
    </Page>
  );
}

function SessionItem({ session, children }: { session: SessionInfo; children?: ReactNode }) {
  return (
    <li className="card session" data-current={session.current || undefined}>
      <div>
        <p className="session-title">
          {describeUserAgent(session.userAgent)}
          {session.current ? <span className="badge">This device</span> : null}
        </p>
        <dl className="facts">
          <div>
            <dt>Address</dt>
            <dd>{session.ipAddress ?? 'unknown'}</dd>
          </div>
          <div>
            <dt>Signed in</dt>
            <dd>{when(session.createdAt)}</dd>
          </div>
          <div>
            <dt>Last active</dt>
            <dd>{when(session.lastUsedAt)}</dd>
          </div>
          <div>
            <dt>Ends by</dt>
            <dd>{when(session.expiresAt)}</dd>
          </div>
        </dl>
      </div>
      {children}
    </li>
  );
}
