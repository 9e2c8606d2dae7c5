import { MfaRequiredError } from '@rotor/client';
import { useEffect, useRef, useState } from 'react';
import { settleReauthentication, useReauthRequest } from '../reauth';
import { client, isCode } from '../rotor';
import { isTotp } from '../twoStep';
import { Alert } from './Alert';
import { TotpField } from './TotpField';
import { Field } from './Field';
import { SubmitButton } from './SubmitButton';
import { useFormSubmit } from './useForm';

/** The "confirm it's you" prompt, opened by `askToReauthenticate` when an action needs a recent sign-in. */
export function ReauthDialog() {
  const request = useReauthRequest();
  return request ? <ReauthForm key={request.id} needsCode={request.needsCode} /> : null;
}

function ReauthForm({ needsCode }: { needsCode: boolean }) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [askCode, setAskCode] = useState(needsCode);
  const form = useFormSubmit();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open && typeof d.showModal === 'function') d.showModal();
    return () => {
      if (d?.open) d.close();
    };
  }, []);

  const submit = form.handler(
    async () => {
      try {
        await client.reauthenticate(askCode ? { password, code } : { password });
      } catch (e) {
        if (e instanceof MfaRequiredError) {
          // Two-step sign-in is on: the password was right, the code is needed as well.
          setAskCode(true);
          return;
        }
        if (isCode(e, 'mfa_code_invalid')) setCode('');
        throw e;
      }
      settleReauthentication(true);
    },
    () => {
      const errors: Record<string, string> = {};
      if (!password) errors.password = 'Enter your password.';
      if (askCode && !isTotp(code)) errors.code = 'Enter the 6 digits from your authenticator app.';
      return errors;
    },
  );

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="reauth-title"
      onCancel={(event) => {
        event.preventDefault();
        settleReauthentication(false);
      }}
    >
      <form onSubmit={submit} noValidate className="form">
        <h2 id="reauth-title">Confirm it&apos;s you</h2>
        <p className="muted">
          This change needs a recent sign-in. Enter your password{askCode ? ' and a code from your authenticator app' : ''}.
        </p>
        <Alert ref={form.alertRef}>{form.error}</Alert>
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onValueChange={setPassword}
          error={form.fields.password}
          autoFocus
          required
        />
        {askCode ? (
          <TotpField
            label="Authenticator code"
            value={code}
            onValueChange={setCode}
            error={form.fields.code}
            hint={needsCode ? '6 digits from your authenticator app.' : 'Your password is right; now the 6 digits from your authenticator app.'}
            autoFocus={!needsCode}
            required
          />
        ) : null}
        <div className="actions">
          <SubmitButton busy={form.busy} busyText="Checking…">
            Confirm
          </SubmitButton>
          <button type="button" className="secondary" onClick={() => settleReauthentication(false)}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
