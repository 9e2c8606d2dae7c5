import { useState } from 'react';
import { Alert } from '../components/Alert';
import { TotpField } from '../components/TotpField';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { SubmitButton } from '../components/SubmitButton';
import { useFormSubmit } from '../components/useForm';
import { arrivalNotice, withoutArrival } from '../endings';
import { messageFor } from '../messages';
import { client } from '../rotor';
import { Link, navigate, safeNext, useLocation } from '../router';
import { afterSecondStepError, cleanRecoveryCode, isTotp, secondStepFrom, type SecondStep } from '../twoStep';

export function Login() {
  const { pathname, search } = useLocation();
  const [username, setUsername] = useState(search.get('username') ?? '');
  const [password, setPassword] = useState('');
  /** Set once the password was right and the account has two-step sign-in. */
  const [second, setSecond] = useState<SecondStep | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const form = useFormSubmit();
  // Why the user is here (the session ended, they signed out, they reset their password), from the URL on every
  // render: a reload says the same, and signing out lands here first and adds ?reason= a moment later. One notice at
  // a time: the newest thing (an error of this form) replaces it, and once the user acts it is gone from the URL too.
  const arrival = arrivalNotice(search);
  const notice = form.error || Object.keys(form.fields).length > 0 ? null : arrival;
  const acted = () => {
    if (arrival) navigate(withoutArrival(pathname, search), { replace: true });
  };

  const done = () => navigate(safeNext(search.get('next')), { replace: true });

  const submitPassword = form.handler(
    async () => {
      acted();
      try {
        await client.login({ username: username.trim(), password });
      } catch (e) {
        const step = secondStepFrom(e);
        if (step) {
          // Not a failure: the password was right. The password is not needed again for this sign-in.
          setPassword('');
          setCode('');
          setRecoveryCode('');
          setUseRecovery(false);
          setSecond(step);
          return;
        }
        throw e;
      }
      done();
    },
    () => {
      const errors: Record<string, string> = {};
      if (!username.trim()) errors.username = 'Enter your username or email.';
      if (!password) errors.password = 'Enter your password.';
      return errors;
    },
  );

  const submitSecondStep = form.handler(
    async () => {
      if (!second) return;
      try {
        await client.completeMfa(
          useRecovery
            ? { challenge: second.challenge, recoveryCode: cleanRecoveryCode(recoveryCode) }
            : { challenge: second.challenge, code },
        );
      } catch (e) {
        const next = afterSecondStepError(e);
        if (next === 'restart') {
          // The challenge is spent: back to the password, with the reason said once, there.
          setSecond(null);
          form.fail(messageFor(e));
          return;
        }
        if (next === 'retry') {
          setCode('');
          setRecoveryCode('');
        }
        throw e;
      }
      done();
    },
    (): Record<string, string> => {
      if (useRecovery) return cleanRecoveryCode(recoveryCode) ? {} : { recoverycode: 'Enter one of your recovery codes.' };
      return isTotp(code) ? {} : { code: 'Enter the 6 digits from your authenticator app.' };
    },
  );

  const emailQuery = username.includes('@') ? `?email=${encodeURIComponent(username.trim())}` : '';
  const verifyHref = `/verify${emailQuery}`;
  const forgotHref = `/forgot-password${emailQuery}`;

  if (second) {
    return (
      <Page
        title="Two-step sign-in"
        intro={
          useRecovery
            ? 'Enter one of the recovery codes you saved when you turned on two-step sign-in. Each code works once.'
            : 'Open your authenticator app and enter the 6-digit code it shows for this account.'
        }
      >
        <form onSubmit={submitSecondStep} noValidate className="card form">
          <Alert ref={form.alertRef}>{form.error}</Alert>
          {useRecovery ? (
            <Field
              key="recovery"
              label="Recovery code"
              name="recoveryCode"
              autoComplete="off"
              value={recoveryCode}
              onValueChange={setRecoveryCode}
              error={form.fields.recoverycode}
              autoCapitalize="characters"
              spellCheck={false}
              autoFocus
              required
            />
          ) : (
            <TotpField
              key="code"
              label="Authenticator code"
              value={code}
              onValueChange={setCode}
              error={form.fields.code}
              hint="The code changes every 30 seconds."
              autoFocus
              required
            />
          )}
          <SubmitButton busy={form.busy} busyText="Checking…">
            Log in
          </SubmitButton>
        </form>
        <p className="links">
          {second.recoveryCodes ? (
            <>
              <button type="button" className="link" onClick={() => setUseRecovery((r) => !r)}>
                {useRecovery ? 'Use a code from your authenticator app' : 'Lost your device? Use a recovery code'}
              </button>
              <span aria-hidden="true"> · </span>
            </>
          ) : null}
          <button
            type="button"
            className="link"
            onClick={() => {
              setSecond(null);
              form.clear();
            }}
          >
            Start over
          </button>
        </p>
      </Page>
    );
  }

  return (
    <Page title="Log in" intro="Sign in to see your sessions, your security log and silent token refresh at work.">
      {notice ? <Alert kind={notice.kind}>{notice.text}</Alert> : null}
      <form onSubmit={submitPassword} noValidate className="card form">
        <Alert ref={form.alertRef}>
          {form.error}
          {form.error && form.code === 'email_not_verified' ? (
            <>
              {' '}
              <Link href={verifyHref}>Enter your verification code</Link>.
            </>
          ) : null}
          {form.error && form.code === 'locked_out' ? (
            <>
              {' '}
              <Link href={forgotHref}>Reset your password</Link>.
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
