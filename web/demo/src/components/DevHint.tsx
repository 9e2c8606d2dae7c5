const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True when the app runs on this machine (Vite's dev server, or the host on a loopback address). */
export function isLocalDevelopment(): boolean {
  return import.meta.env.DEV || LOCAL_HOSTS.has(window.location.hostname);
}

/** Where the mail went, for a developer running Rotor locally: no mail leaves the machine. */
export function DevMailHint({ find }: { find: string }) {
  if (!isLocalDevelopment()) return null;
  return (
    <aside className="dev-hint" aria-label="Developer hint">
      <strong>Running Rotor locally?</strong> No mail leaves the machine: the server writes each message as an{' '}
      <code>.eml</code> file to its pickup directory <code>data/mail/</code> (with the README&apos;s run command:{' '}
      <code>src/Rotor.Host/data/mail/</code>). Open the newest file there to find {find}.
    </aside>
  );
}
