import { useState } from 'react';
import { Alert } from '../components/Alert';
import { DevMailHint } from '../components/DevHint';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { SubmitButton } from '../components/SubmitButton';
import { useFormSubmit } from '../components/useForm';
import { api } from '../rotor';
import { Link, useLocation } from '../router';

export function ForgotPassword() {
  const { search } = useLocation();
  const [email, setEmail] = useState(search.get('email') ?? '');
  const [sent, setSent] = useState(false);
  const form = useFormSubmit();

  const submit = form.handler(
    async () => {
      await api('/auth/forgot-password', { method: 'POST', body: { email: email.trim() } });
      setSent(true);
    },
    () => (/^[^\s@]+@[^\s@]+$/.test(email.trim()) ? null : { email: 'Enter the email address of your account.' }),
  );

  return (
    <Page title="Forgot your password?" intro="Enter your account's email address and we will send you a link to choose a new password.">
      <Alert kind="success">
        {sent ? `If an account uses ${email.trim()}, a reset link is on its way. It works once, for one hour.` : null}
      </Alert>
      <DevMailHint find="the reset link" />
      <form onSubmit={submit} noValidate className="card form">
        <Alert ref={form.alertRef}>{form.error}</Alert>
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onValueChange={setEmail}
          error={form.fields.email}
          required
        />
        <SubmitButton busy={form.busy} busyText="Sending…">
          {sent ? 'Send again' : 'Send reset link'}
        </SubmitButton>
      </form>
      <p className="links">
        <Link href="/login">Back to log in</Link>
      </p>
    </Page>
  );
}
