import { useState } from 'react';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { SubmitButton } from '../components/SubmitButton';
import { useFormSubmit } from '../components/useForm';
import { api, client } from '../rotor';
import { Link, navigate, useLocation } from '../router';

export function ResetPassword() {
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const form = useFormSubmit();

  const submit = form.handler(
    async () => {
      await api('/auth/reset-password', { method: 'POST', body: { token, newPassword: password } });
      // A reset signs out every session, this browser's included.
      if (client.isSignedIn()) await client.logout();
      navigate('/login?reset=1', { replace: true });
    },
    () => {
      const errors: Record<string, string> = {};
      if (password.length < 8) errors.password = 'Use at least 8 characters.';
      if (confirm !== password) errors.confirm = 'The two passwords do not match.';
      return errors;
    },
  );

  if (!token) {
    return (
      <Page title="Reset your password">
        <Alert>This page needs the link from the reset email. Ask for a new link if yours is lost.</Alert>
        <p className="links">
          <Link href="/forgot-password">Ask for a reset link</Link>
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
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onValueChange={setPassword}
          error={form.fields.password ?? form.fields.newpassword}
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
