import { useSyncExternalStore } from 'react';
import { withReauth } from './twoStep';

/** An open "confirm it's you" prompt; every action waiting for it is settled together. */
export interface ReauthRequest {
  id: number;
  /** Ask for the authenticator code with the password from the start (two-step sign-in is known to be on). */
  needsCode: boolean;
}

let current: ReauthRequest | null = null;
let waiting: ((confirmed: boolean) => void)[] = [];
let sequence = 0;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

/** Opens the prompt (or joins the open one). Resolves true once the user reauthenticated, false if cancelled. */
export function askToReauthenticate(options: { needsCode?: boolean } = {}): Promise<boolean> {
  const needsCode = options.needsCode ?? false;
  if (!current) current = { id: ++sequence, needsCode };
  else if (needsCode && !current.needsCode) current = { ...current, needsCode };
  const promise = new Promise<boolean>((resolve) => waiting.push(resolve));
  emit();
  return promise;
}

/** Closes the prompt: `true` after a successful `client.reauthenticate`, `false` when cancelled. */
export function settleReauthentication(confirmed: boolean): void {
  const resolvers = waiting;
  current = null;
  waiting = [];
  emit();
  for (const resolve of resolvers) resolve(confirmed);
}

export function currentReauthRequest(): ReauthRequest | null {
  return current;
}

export function useReauthRequest(): ReauthRequest | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    currentReauthRequest,
    () => null,
  );
}

/** `withReauth` with the app's prompt: on 403 reauthentication_required, ask, then retry once. */
export function withReauthPrompt<T>(action: () => Promise<T>, options: { needsCode?: boolean } = {}): Promise<T> {
  return withReauth(action, () => askToReauthenticate(options));
}
