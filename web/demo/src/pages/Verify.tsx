import { useState } from 'react';
import { Alert } from '../components/Alert';
import { DevMailHint } from '../components/DevHint';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { SubmitButton } from '../components/SubmitButton';
import { useFormSubmit } from '../components/useForm';
import { messageFor } from '../messages';
import { api, client } from '../rotor';
import { Link, navigate, useLocation } from '../router';

export function Verify() {
  const { search } = useLocation();
  const [email, setEmail] = useState(search.get('email') ?? '');
  const [code, setCode] = useState('');
  const [resent, setResent] = useState<string | null>(null);
  const [resending, setResending] = useState(false);
  const form = useFormSubmit();

  const submit = form.handler(
    async () => {
      const user = await client.verifyOtp({ email: email.trim(), code: code.trim() });
      if (user) navigate('/dashboard', { replace: true });
      else navigate(`/login?verified=1&username=${encodeURIComponent(email.trim())}`, { replace: true });
    },
    () => {
      const errors: Record<string, string> = {};
      if (!email.trim()) errors.email = 'Enter the email address you signed up with.';
      if (!/^\d{6}$/.test(code.trim())) errors.code = 'The code is the 6 digits from the email.';
      return errors;
    },
  );

  async function resend() {
    if (!email.trim()) {
      form.fail(null, { email: 'Enter the email address you signed up with, then ask for a new code.' });
      return;
    }
    setResending(true);
    setResent(null);
    form.clear();
    try {
      await api('/auth/resend-otp', { method: 'POST', body: { email: email.trim() } });
      setResent('If that address has an account waiting for verification, a new code is on its way. The old code no longer works.');
    } catch (e) {
      form.fail(messageFor(e));
    } finally {
      setResending(false);
    }
  }

  return (
    <Page
      title="Verify your email"
      intro={search.get('new') ? 'Account created. We sent a 6-digit code to your email address; it is valid for 10 minutes.' : 'Enter the 6-digit code we emailed you.'}
    >
      <DevMailHint find="the code" />
      <form onSubmit={submit} noValidate className="card form">
        <Alert ref={form.alertRef}>{form.error}</Alert>
        <Alert kind="success">{resent}</Alert>
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
        <Field
          label="Verification code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={6}
          value={code}
          onValueChange={(v) => setCode(v.replace(/\D/g, '').slice(0, 6))}
          error={form.fields.code}
          hint="6 digits. After 5 wrong tries, ask for a new code."
          className="code-input"
          required
        />
        <div className="actions">
          <SubmitButton busy={form.busy} busyText="Verifying…">
            Verify
          </SubmitButton>
          <button type="button" className="secondary" onClick={resend} disabled={resending} aria-busy={resending || undefined}>
            {resending ? 'Sending…' : 'Send a new code'}
          </button>
        </div>
      </form>
      <p className="links">
        <Link href="/login">Back to log in</Link>
      </p>
    </Page>
  );
}
