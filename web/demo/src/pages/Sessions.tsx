import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert } from '../components/Alert';
import { Page } from '../components/Page';
import { ago, deviceRows, type DeviceRow, type SessionInfo } from '../devices';
import { messageFor } from '../messages';
import { withReauthPrompt } from '../reauth';
import { accessTokenLifetimeMs, api, client } from '../rotor';
import { navigate } from '../router';

export type { SessionInfo } from '../devices';

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function Sessions() {
  const [rows, setRows] = useState<DeviceRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const load = useCallback(async () => {
    try {
      const list = await api<SessionInfo[]>('/auth/sessions');
      setRows(deviceRows(list, Date.now(), accessTokenLifetimeMs()));
      setError(null);
    } catch (e) {
      setError(messageFor(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  /** Ends the given sessions (one prompt for a recent sign-in covers them all), then reloads the list. */
  async function revoke(targets: DeviceRow[], busy: string, done: string) {
    setBusyId(busy);
    setNotice(null);
    setError(null);
    try {
      for (const session of targets) {
        // Ending another device's session needs a recent sign-in: on 403 the password prompt opens, then one retry.
        await withReauthPrompt(() => api(`/auth/sessions/${encodeURIComponent(session.id)}`, { method: 'DELETE' }));
      }
      setNotice(done);
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
      navigate('/login?reason=signed_out_everywhere', { replace: true });
    } catch (e) {
      setError(messageFor(e));
    }
  }

  const now = Date.now();
  const current = rows?.filter((s) => s.current) ?? [];
  const others = rows?.filter((s) => !s.current) ?? [];
  const idle = others.filter((s) => s.idle);

  return (
    <Page title="Sessions" intro="Every device signed in to your account, last active first. Sign out any you do not recognise." wide>
      <Alert>{error}</Alert>
      {error ? null : <Alert kind="success">{notice}</Alert>}
      {rows === null && !error ? <p className="muted">Loading sessions…</p> : null}

      {current.length > 0 ? (
        <section aria-labelledby="this-device">
          <h2 id="this-device">This device</h2>
          <ul className="sessions">
            {current.map((s) => (
              <SessionItem key={s.id} session={s} now={now} />
            ))}
          </ul>
        </section>
      ) : null}

      {rows !== null ? (
        <section aria-labelledby="other-devices">
          <div className="section-head">
            <h2 id="other-devices">Other devices</h2>
            {idle.length > 0 ? (
              <button
                type="button"
                className="secondary"
                disabled={busyId !== null}
                onClick={() =>
                  revoke(idle, 'idle', `Signed out ${idle.length} idle session${idle.length === 1 ? '' : 's'}.`)
                }
              >
                {busyId === 'idle' ? 'Signing out…' : `Sign out idle sessions (${idle.length})`}
              </button>
            ) : null}
          </div>
          {others.length === 0 ? <p className="muted">No other device is signed in.</p> : null}
          <ul className="sessions">
            {others.map((s) => (
              <SessionItem key={s.id} session={s} now={now}>
                <button
                  type="button"
                  className="danger"
                  onClick={() => revoke([s], s.id, `Signed out ${s.name}${s.ipAddress ? ` (${s.ipAddress})` : ''}.`)}
                  disabled={busyId !== null}
                  aria-label={`Sign out ${s.name}${s.ipAddress ? ` at ${s.ipAddress}` : ''}`}
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

function SessionItem({ session, now, children }: { session: DeviceRow; now: number; children?: ReactNode }) {
  return (
    <li className="card session" data-current={session.current || undefined} data-idle={session.idle || undefined}>
      <div>
        <p className="session-title">
          <span className="session-name">{session.name}</span>
          {session.current ? <span className="badge">This device</span> : null}
          {session.idle ? (
            <span className="badge badge-idle" title="Not used for a while: its tab is closed or asleep, or its cookie is gone.">
              Idle
            </span>
          ) : null}
        </p>
        <dl className="facts">
          <div>
            <dt>Last active</dt>
            <dd>
              <time dateTime={session.lastUsedAt} title={when(session.lastUsedAt)}>
                {session.current ? 'now' : ago(session.lastUsedAt, now)}
              </time>
            </dd>
          </div>
          <div>
            <dt>Address</dt>
            <dd>{session.ipAddress ?? 'unknown'}</dd>
          </div>
          <div>
            <dt>Signed in</dt>
            <dd>{when(session.createdAt)}</dd>
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
