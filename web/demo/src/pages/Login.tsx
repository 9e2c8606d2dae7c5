import { useState } from 'react';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { SubmitButton } from '../components/SubmitButton';
import { useFormSubmit } from '../components/useForm';
import { messageForCode } from '../messages';
import { client, isCode, takeEndedCode } from '../rotor';
import { Link, navigate, safeNext, useLocation } from '../router';

export function Login() {
  const { search } = useLocation();
  const [username, setUsername] = useState(search.get('username') ?? '');
  const [password, setPassword] = useState('');
  const [unverified, setUnverified] = useState(false);
  const form = useFormSubmit();
  // Why the user is here: the session ended, they signed out, or they just reset their password. Derived on
  // every render, not once: signing out redirects here first (the user is gone) and adds ?reason= a moment later.
  const [endedCode] = useState(takeEndedCode);
  const code = endedCode ?? search.get('reason');
  const notice =
    search.get('reset') === '1'
      ? 'Your password was changed and every session signed out. Log in with the new password.'
      : search.get('verified') === '1'
        ? 'Email verified. You can log in now.'
        : code
          ? messageForCode(code)
          : null;

  const submit = form.handler(
    async () => {
      setUnverified(false);
      try {
        await client.login({ username: username.trim(), password });
      } catch (e) {
        if (isCode(e, 'email_not_verified')) setUnverified(true);
        throw e;
      }
      navigate(safeNext(search.get('next')), { replace: true });
    },
    () => {
      const errors: Record<string, string> = {};
      if (!username.trim()) errors.username = 'Enter your username or email.';
      if (!password) errors.password = 'Enter your password.';
      return errors;
    },
  );

  const verifyHref = `/verify${username.includes('@') ? `?email=${encodeURIComponent(username.trim())}` : ''}`;

  return (
    <Page title="Log in" intro="Sign in to see your sessions, your security log and silent token refresh at work.">
      {notice ? <Alert kind="info">{notice}</Alert> : null}
      <form onSubmit={submit} noValidate className="card form">
        <Alert ref={form.alertRef}>
          {form.error}
          {unverified ? (
            <>
              {' '}
              <Link href={verifyHref}>Enter your verification code</Link>.
            </>
          ) : null}
        </Alert>
        <Field
          label="Username or email"
          name="username"
          autoComplete="username"
          value={username}
          onValueChange={setUsername}
          error={form.fields.username}
          required
          autoCapitalize="none"
          spellCheck={false}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onValueChange={setPassword}
          error={form.fields.password}
          required
        />
        <SubmitButton busy={form.busy} busyText="Logging in…">
          Log in
        </SubmitButton>
      </form>
      <p className="links">
        <Link href="/forgot-password">Forgot your password?</Link>
        <span aria-hidden="true"> · </span>
        <Link href="/signup">Create an account</Link>
      </p>
    </Page>
  );
}
