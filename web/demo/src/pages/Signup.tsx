import { RotorApiError } from '@rotor/client';
import { useEffect, useState } from 'react';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { SubmitButton } from '../components/SubmitButton';
import { useFormSubmit } from '../components/useForm';
import { messageFor } from '../messages';
import { api, client } from '../rotor';
import { Link, navigate } from '../router';

interface Availability {
  username?: { available: boolean };
  email?: { available: boolean };
}

type Check = { state: 'idle' } | { state: 'checking' } | { state: 'done'; available: boolean } | { state: 'error'; text: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Asks the server, 400 ms after typing stops, whether a username or email is free. */
function useAvailability(kind: 'username' | 'email', value: string, enabled: boolean): Check {
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  useEffect(() => {
    if (!enabled) {
      setCheck({ state: 'idle' });
      return;
    }
    let cancelled = false;
    setCheck({ state: 'checking' });
    const timer = setTimeout(async () => {
      try {
        const result = await api<Availability>(`/auth/availability?${kind}=${encodeURIComponent(value)}`);
        const entry = result?.[kind];
        if (!cancelled) setCheck(entry ? { state: 'done', available: entry.available } : { state: 'idle' });
      } catch (e) {
        if (cancelled) return;
        // A server without the availability endpoint: say nothing; registration still checks.
        if (e instanceof RotorApiError && e.status === 404) setCheck({ state: 'idle' });
        else setCheck({ state: 'error', text: messageFor(e) });
      }
    }, 400);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [kind, value, enabled]);
  return check;
}

function describe(check: Check, what: string): string | undefined {
  switch (check.state) {
    case 'idle':
      return undefined;
    case 'checking':
      return `Checking whether this ${what} is free…`;
    case 'done':
      return check.available ? `✓ This ${what} is available.` : `✗ This ${what} is already taken.`;
    case 'error':
      return `Could not check the ${what}: ${check.text}`;
  }
}

export function Signup() {
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const form = useFormSubmit();
  const usernameCheck = useAvailability('username', username.trim(), username.trim().length >= 3);
  const emailCheck = useAvailability('email', email.trim(), EMAIL.test(email.trim()));

  const submit = form.handler(
    async () => {
      await client.register({ username: username.trim(), email: email.trim(), password });
      navigate(`/verify?email=${encodeURIComponent(email.trim())}&new=1`);
    },
    () => {
      const errors: Record<string, string> = {};
      if (username.trim().length < 3) errors.username = 'Choose a username of at least 3 characters.';
      else if (usernameCheck.state === 'done' && !usernameCheck.available) errors.username = 'That username is already taken. Try another.';
      if (!EMAIL.test(email.trim())) errors.email = 'Enter an email address like name@example.com.';
      else if (emailCheck.state === 'done' && !emailCheck.available)
        errors.email = 'An account with that email already exists. Log in, or reset your password.';
      if (password.length < 8) errors.password = 'Use at least 8 characters.';
      if (confirm !== password) errors.confirm = 'The two passwords do not match.';
      return errors;
    },
  );

  return (
    <Page title="Create an account" intro="We will email you a 6-digit code to confirm the address.">
      <form onSubmit={submit} noValidate className="card form">
        <Alert ref={form.alertRef}>{form.error}</Alert>
        <Field
          label="Username"
          name="username"
          autoComplete="username"
          value={username}
          onValueChange={setUsername}
          error={form.fields.username}
          status={describe(usernameCheck, 'username') ?? ''}
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onValueChange={setEmail}
          error={form.fields.email}
          status={describe(emailCheck, 'email address') ?? ''}
          required
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onValueChange={setPassword}
          error={form.fields.password}
          hint="At least 8 characters. Long passphrases are welcome; very common passwords are refused."
          required
        />
        <Field
          label="Confirm password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onValueChange={setConfirm}
          error={form.fields.confirm}
          required
        />
        <SubmitButton busy={form.busy} busyText="Creating account…">
          Create account
        </SubmitButton>
      </form>
      <p className="links">
        Already have an account? <Link href="/login">Log in</Link>
      </p>
    </Page>
  );
}
