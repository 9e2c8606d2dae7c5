import { useEffect, useState } from 'react';
import { Alert } from '../components/Alert';
import { Page } from '../components/Page';
import { messageFor } from '../messages';
import { api, client, setProactivePreference, useActivity, useTokenExpiry, useUser, type ActivityEntry } from '../rotor';

interface DemoTime {
  serverTime: string;
  user?: { username?: string } | string | null;
}

/** Re-renders every `ms` so countdowns tick. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

function formatRemaining(ms: number): string {
  if (ms <= 0) return 'expired';
  const s = Math.ceil(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(s % 60).padStart(2, '0')} s`;
}

const KIND_LABEL: Record<ActivityEntry['kind'], string> = {
  login: 'Sign-in',
  refresh: 'Refresh',
  refreshFailed: 'Failed',
  sessionExpired: 'Ended',
  logout: 'Sign-out',
};

export function Dashboard() {
  const user = useUser();
  const expiry = useTokenExpiry();
  const activity = useActivity();
  const now = useNow(250);
  const [proactive, setProactive] = useState(() => window.sessionStorage.getItem('rotor-demo:proactive') !== 'off');
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function call(times: number) {
    setBusy(true);
    setError(null);
    try {
      const results = await Promise.all(Array.from({ length: times }, () => api<DemoTime>('/api/demo/time')));
      const last = results.at(-1)!;
      const time = new Date(last.serverTime);
      const label = Number.isNaN(time.getTime()) ? last.serverTime : time.toLocaleTimeString();
      setResult(times === 1 ? `Server time: ${label}` : `${times} calls succeeded. Server time: ${label}`);
    } catch (e) {
      setResult(null);
      setError(messageFor(e));
    } finally {
      setBusy(false);
    }
  }

  async function refreshNow() {
    setError(null);
    try {
      await client.refresh();
    } catch (e) {
      setError(messageFor(e));
    }
  }

  const refreshes = activity;
  const remaining = expiry === null ? null : expiry - now;

  return (
    <Page title="Dashboard" intro={user ? `Signed in as ${user.username} (${user.email}).` : undefined} wide>
      <div className="grid">
        <section className="card" aria-labelledby="token-title">
          <h2 id="token-title">Access token</h2>
          <p className="big" data-testid="token-remaining">
            {remaining === null ? 'No token' : remaining > 0 ? `Expires in ${formatRemaining(remaining)}` : 'Expired: the next call refreshes it'}
          </p>
          <p className="muted">
            {expiry !== null ? `Valid until ${new Date(expiry).toLocaleTimeString()} (measured from the server's expiresIn).` : null}
          </p>
          <p className="muted">Held in memory only. The refresh token is an HttpOnly cookie this page cannot read.</p>
          <div className="actions">
            <button type="button" className="secondary" onClick={refreshNow}>
              Refresh now
            </button>
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={proactive}
              onChange={(e) => {
                setProactive(e.target.checked);
                setProactivePreference(e.target.checked);
              }}
            />
            Refresh ahead of expiry while this tab is visible
          </label>
        </section>

        <section className="card" aria-labelledby="api-title">
          <h2 id="api-title">Protected API</h2>
          <p className="muted">
            <code>GET /api/demo/time</code> needs a valid access token. When it has expired, the client refreshes once
            and retries, whatever the number of calls waiting.
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => call(1)} disabled={busy}>
              Call the API
            </button>
            <button type="button" className="secondary" onClick={() => call(5)} disabled={busy}>
              Call it 5 times at once
            </button>
          </div>
          <Alert kind="success">{result}</Alert>
          <Alert>{error}</Alert>
        </section>
      </div>

      <section className="card" aria-labelledby="log-title">
        <h2 id="log-title">Silent refreshes</h2>
        <p className="muted">Each refresh as it happens in this tab (or is shared by another).</p>
        {refreshes.length === 0 ? (
          <p className="muted">Nothing yet. Wait for the token to near its expiry, or call the API after it has expired.</p>
        ) : null}
        <ol className="activity" role="log" aria-live="polite" aria-label="Refresh activity">
          {refreshes.map((entry) => (
            <li key={entry.id} className={`activity-${entry.kind}`}>
              <time dateTime={entry.at.toISOString()}>{entry.at.toLocaleTimeString()}</time>
              <span className="tag">{KIND_LABEL[entry.kind]}</span>
              <span>{entry.text}</span>
            </li>
          ))}
        </ol>
      </section>
    </Page>
  );
}
