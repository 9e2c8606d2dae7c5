import { useCallback, useEffect, useState } from 'react';
import { Alert } from '../components/Alert';
import { TotpField } from '../components/TotpField';
import { Field } from '../components/Field';
import { QrCode } from '../components/QrCode';
import { SubmitButton } from '../components/SubmitButton';
import { useFormSubmit } from '../components/useForm';
import { messageFor } from '../messages';
import { withReauthPrompt } from '../reauth';
import { api } from '../rotor';
import { groupKey, isTotp } from '../twoStep';

interface MfaStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
}

interface MfaSetup {
  sharedKey: string;
  authenticatorUri: string;
}

interface RecoveryCodes {
  recoveryCodes: string[];
}

/** Profile section: two-step sign-in with an authenticator app, and its recovery codes. */
export function TwoStep() {
  const [status, setStatus] = useState<MfaStatus | null>(null);
  const [setup, setSetup] = useState<MfaSetup | null>(null);
  /** Shown once, right after they were made; never fetched again. */
  const [codes, setCodes] = useState<string[] | null>(null);
  const [confirmOff, setConfirmOff] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setStatus(await api<MfaStatus>('/users/me/mfa'));
    } catch (e) {
      setError(messageFor(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  /** Runs a change that needs a recent sign-in: the password prompt opens on 403, then it is retried once. */
  async function run(action: () => Promise<void>, needsCode: boolean) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await withReauthPrompt(action, { needsCode });
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusy(false);
    }
  }

  const start = () =>
    run(async () => {
      setSetup(await api<MfaSetup>('/users/me/mfa/setup', { method: 'POST' }));
    }, false);

  const newCodes = () =>
    run(async () => {
      const result = await api<RecoveryCodes>('/users/me/mfa/recovery-codes', { method: 'POST' });
      setCodes(result.recoveryCodes);
      await load();
    }, true);

  const turnOff = () =>
    run(async () => {
      await api('/users/me/mfa/disable', { method: 'POST' });
      setConfirmOff(false);
      setCodes(null);
      setNotice('Two-step sign-in is off. Your password alone signs you in now.');
      await load();
    }, true);

  return (
    <section className="card" aria-labelledby="two-step-title">
      <h2 id="two-step-title">Two-step sign-in</h2>
      <Alert>{error}</Alert>
      <Alert kind="success">{notice}</Alert>
      {status === null && !error ? <p className="muted">Loading…</p> : null}

      {codes ? (
        <RecoveryCodeList codes={codes} onDone={() => setCodes(null)} />
      ) : setup ? (
        <Enrol
          setup={setup}
          onEnabled={async (recoveryCodes) => {
            setSetup(null);
            setCodes(recoveryCodes);
            setNotice('Two-step sign-in is on. Next time you log in, you will need a code from your app.');
            await load();
          }}
          onCancel={() => setSetup(null)}
        />
      ) : status && !status.enabled ? (
        <>
          <p>
            <strong>Off.</strong> Add a code from an authenticator app (such as 1Password, Google Authenticator or
            Microsoft Authenticator) to your password, so a stolen password alone cannot sign in.
          </p>
          <button type="button" className="primary" onClick={start} disabled={busy} aria-busy={busy || undefined}>
            {busy ? 'Please wait…' : 'Set up two-step sign-in'}
          </button>
        </>
      ) : status ? (
        <>
          <p>
            <strong>On.</strong> You have {status.recoveryCodesLeft} unused recovery code
            {status.recoveryCodesLeft === 1 ? '' : 's'} left.
            {status.recoveryCodesLeft <= 2 ? ' Make new ones so you are not locked out if you lose your device.' : ''}
          </p>
          {confirmOff ? (
            <div className="actions" role="group" aria-label="Confirm turning off two-step sign-in">
              <button type="button" className="danger" onClick={turnOff} disabled={busy} autoFocus>
                Yes, turn it off
              </button>
              <button type="button" className="secondary" onClick={() => setConfirmOff(false)}>
                Cancel
              </button>
            </div>
          ) : (
            <div className="actions">
              <button type="button" className="secondary" onClick={newCodes} disabled={busy}>
                Make new recovery codes
              </button>
              <button type="button" className="danger" onClick={() => setConfirmOff(true)} disabled={busy}>
                Turn off two-step sign-in
              </button>
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}

function Enrol({
  setup,
  onEnabled,
  onCancel,
}: {
  setup: MfaSetup;
  onEnabled(codes: string[]): Promise<void>;
  onCancel(): void;
}) {
  const [code, setCode] = useState('');
  const form = useFormSubmit();

  const submit = form.handler(
    async () => {
      try {
        const result = await withReauthPrompt(() =>
          api<RecoveryCodes>('/users/me/mfa/enable', { method: 'POST', body: { code } }),
        );
        await onEnabled(result.recoveryCodes);
      } catch (e) {
        setCode('');
        throw e;
      }
    },
    () => (isTotp(code) ? null : { code: 'Enter the 6 digits your app shows.' }),
  );

  return (
    <form onSubmit={submit} noValidate className="form enrol">
      <ol className="steps">
        <li>
          <p>Scan this code with your authenticator app.</p>
          <QrCode value={setup.authenticatorUri} label="QR code to add this account to an authenticator app" />
          <p className="muted">Cannot scan it? Add the account by hand with this key:</p>
          <p>
            <code className="key">{groupKey(setup.sharedKey)}</code>
          </p>
          <details>
            <summary>Setup link</summary>
            <p>
              <code className="uri">{setup.authenticatorUri}</code>
            </p>
          </details>
        </li>
        <li>
          <Alert ref={form.alertRef}>{form.error}</Alert>
          <TotpField
            label="Code from your app"
            value={code}
            onValueChange={setCode}
            error={form.fields.code}
            hint="Enter the 6-digit code to prove the app is set up."
            required
          />
        </li>
      </ol>
      <div className="actions">
        <SubmitButton busy={form.busy} busyText="Turning on…">
          Turn on two-step sign-in
        </SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RecoveryCodeList({ codes, onDone }: { codes: string[]; onDone(): void }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <div className="recovery">
      <Alert kind="info">
        Save these recovery codes somewhere safe now: they are shown only once. Each one signs you in once if you lose
        your authenticator app. Older codes no longer work.
      </Alert>
      <ol className="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="actions">
        <button type="button" className="secondary" onClick={copy}>
          {copied ? 'Copied' : 'Copy all'}
        </button>
        <button type="button" className="primary" onClick={onDone}>
          I have saved them
        </button>
      </div>
    </div>
  );
}
