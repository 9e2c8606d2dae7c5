import { useState } from 'react';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { SubmitButton } from '../components/SubmitButton';
import { useFormSubmit } from '../components/useForm';
import { api, client, useUser } from '../rotor';
import type { RotorUser } from '@rotor/client';
import { TwoStep } from './TwoStep';

export function Profile() {
  const user = useUser();
  return (
    <Page title="Profile" intro={user ? `${user.username} · ${user.email}` : undefined}>
      <ChangeUsername current={user?.username ?? ''} />
      <ChangePassword />
      <TwoStep />
    </Page>
  );
}

function ChangeUsername({ current }: { current: string }) {
  const [username, setUsername] = useState(current);
  const [done, setDone] = useState<string | null>(null);
  const form = useFormSubmit();

  const submit = form.handler(
    async () => {
      setDone(null);
      const response = await api<RotorUser | { user: RotorUser }>('/users/me/username', {
        method: 'POST',
        body: { username: username.trim() },
      });
      const user = response && 'user' in response ? response.user : response;
      if (user) client.updateUser(user);
      setDone(`Your username is now ${user?.username ?? username.trim()}.`);
    },
    () => {
      if (username.trim().length < 3) return { username: 'Choose a username of at least 3 characters.' };
      if (username.trim() === current) return { username: 'That is already your username.' };
      return null;
    },
  );

  return (
    <form onSubmit={submit} noValidate className="card form" aria-labelledby="username-title">
      <h2 id="username-title">Change username</h2>
      <Alert ref={form.alertRef}>{form.error}</Alert>
      <Alert kind="success">{done}</Alert>
      <Field
        label="New username"
        name="username"
        autoComplete="username"
        value={username}
        onValueChange={setUsername}
        error={form.fields.username}
        autoCapitalize="none"
        spellCheck={false}
        required
      />
      <SubmitButton busy={form.busy} busyText="Saving…">
        Change username
      </SubmitButton>
    </form>
  );
}

function ChangePassword() {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const form = useFormSubmit();

  const submit = form.handler(
    async () => {
      setDone(null);
      await api('/users/me/password', { method: 'POST', body: { currentPassword, newPassword } });
      setCurrentPassword('');
      setNewPassword('');
      setConfirm('');
      setDone('Password changed. Every other device was signed out; this one stays signed in.');
    },
    () => {
      const errors: Record<string, string> = {};
      if (!currentPassword) errors.currentpassword = 'Enter your current password.';
      if (newPassword.length < 8) errors.newpassword = 'Use at least 8 characters.';
      if (confirm !== newPassword) errors.confirm = 'The two passwords do not match.';
      return errors;
    },
  );

  return (
    <form onSubmit={submit} noValidate className="card form" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <Alert ref={form.alertRef}>{form.error}</Alert>
      <Alert kind="success">{done}</Alert>
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onValueChange={setCurrentPassword}
        error={form.fields.currentpassword}
        required
      />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        value={newPassword}
        onValueChange={setNewPassword}
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
        Change password
      </SubmitButton>
    </form>
  );
}
