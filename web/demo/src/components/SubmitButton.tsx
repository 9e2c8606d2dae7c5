import type { ReactNode } from 'react';

export function SubmitButton({ busy, children, busyText }: { busy: boolean; children: ReactNode; busyText?: string }) {
  return (
    <button type="submit" className="primary" disabled={busy} aria-busy={busy || undefined}>
      {busy ? (busyText ?? 'Please wait…') : children}
    </button>
  );
}
