import { RotorApiError } from '@rotor/client';
import { useEffect, useState } from 'react';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { SubmitButton } from '../components/SubmitButton';
import { useFormSubmit } from '../components/useForm';
import { messageFor } from '../messages';
import { api, client } from '../rotor';
import { Link, navigate, useLocation } from '../router';

/** The link as checked when the page opens: still working, or why not (a sentence for the user). */
type LinkState = { state: 'checking' } | { state: 'ok' } | { state: 'unusable'; text: string };

/** Asks the server whether the link still works, without spending it, so a dead link shows no form. */
function useResetLink(token: string): LinkState {
  const [link, setLink] = useState<LinkState>({ state: 'checking' });
  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    setLink({ state: 'checking' });
    api('/auth/reset-password/check', { method: 'POST', body: { token } })
      .then(() => !cancelled && setLink({ state: 'ok' }))
      .catch((e: unknown) => {
        // A server that cannot check (an older one, or the check's rate limit) leaves the form to find out.
        if (!cancelled) setLink(isLinkProblem(e) ? { state: 'unusable', text: messageFor(e) } : { state: 'ok' });
      });
    return () => {
      cancelled = true;
    };
  }, [token]);
  return link;
}

function isLinkProblem(error: unknown): boolean {
  return error instanceof RotorApiError && error.code.startsWith('reset_token_');
}

export function ResetPassword() {
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const link = useResetLink(token);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const form = useFormSubmit();

  const submit = form.handler(
    async () => {
      await api('/auth/reset-password', { method: 'POST', body: { token, newPassword: password } });
      // A reset signs out every session, this browser's included; the other tabs are told why.
      if (client.isSignedIn()) await client.logout({ reason: 'password_changed' });
      navigate('/login?reason=password_reset', { replace: true });
    },
    () => {
      const errors: Record<string, string> = {};
      if (password.length < 8) errors.newpassword = 'Use at least 8 characters.';
      if (confirm !== password) errors.confirm = 'The two passwords do not match.';
      return errors;
    },
  );

  if (!token || link.state === 'unusable') {
    return (
      <Page title="This reset link does not work">
        <Alert>
          {token && link.state === 'unusable'
            ? link.text
            : 'This page needs the link from the reset email. Ask for a new link if yours is lost.'}
        </Alert>
        <p className="links">
          <Link href="/forgot-password">Ask for a new link</Link>
        </p>
      </Page>
    );
  }

  if (link.state === 'checking') {
    return (
      <Page title="Choose a new password">
        <p className="muted" role="status">
          Checking your reset link…
        </p>
      </Page>
    );
  }

  return (
    <Page title="Choose a new password" intro="Changing your password signs out every device, this one included.">
      <form onSubmit={submit} noValidate className="card form">
        <Alert ref={form.alertRef}>{form.error}</Alert>
        <Field
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          value={password}
          onValueChange={setPassword}
          error={form.fields.newpassword}
          hint="At least 8 characters. Very common passwords are refused."
          required
        />
        <Field
          label="Confirm new password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onValueChange={setConfirm}
          error={form.fields.confirm}
          required
        />
        <SubmitButton busy={form.busy} busyText="Saving…">
          Set new password
        </SubmitButton>
      </form>
      <p className="links">
        <Link href="/forgot-password">Ask for a new link</Link>
      </p>
    </Page>
  );
}
