import { isReauthenticationRequired, MfaRequiredError, RotorApiError } from '@rotor/client';

/** Digits only, at most 6: what goes into the authenticator-code field as the user types or pastes. */
export function cleanTotp(input: string): string {
  return input.replace(/\D/g, '').slice(0, 6);
}

export function isTotp(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/** A recovery code as typed or pasted: no spaces, upper case (the codes are upper-case letters and digits). */
export function cleanRecoveryCode(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** The authenticator key in groups of four, upper case, for typing it into an app by hand. */
export function groupKey(sharedKey: string): string {
  return (sharedKey.replace(/\s+/g, '').toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

/** The second step of a sign-in, after the password was right. */
export interface SecondStep {
  challenge: string;
  /** Whether the server takes a recovery code for this sign-in. */
  recoveryCodes: boolean;
}

/** The second step a login error asks for, or null when the error is something else. */
export function secondStepFrom(error: unknown): SecondStep | null {
  if (!(error instanceof MfaRequiredError) || !error.challenge) return null;
  return {
    challenge: error.challenge,
    recoveryCodes: error.methods.length === 0 || error.methods.includes('recovery_code'),
  };
}

/**
 * What the sign-in page does after a failed second step: `retry` (wrong code: clear it, the same challenge
 * still works), `restart` (the challenge is used up or expired: back to the password) or `stay` (anything
 * else, e.g. rate limited: show it and let the user try again).
 */
export function afterSecondStepError(error: unknown): 'retry' | 'restart' | 'stay' {
  if (!(error instanceof RotorApiError)) return 'stay';
  if (error.code === 'mfa_code_invalid' || error.code === 'validation_failed') return 'retry';
  if (error.code === 'mfa_challenge_invalid') return 'restart';
  return 'stay';
}

/** The user closed the password prompt: the action did not happen. */
export class ReauthCancelledError extends Error {
  constructor() {
    super('Nothing was changed: the password check was cancelled.');
    this.name = 'ReauthCancelledError';
  }
}

/**
 * Runs `action`; when the server answers 403 `reauthentication_required`, asks `confirm` for a fresh
 * sign-in (true once the user re-entered the password, false when they cancelled) and runs the action
 * once more. A second refusal goes to the caller: no loops.
 */
export async function withReauth<T>(action: () => Promise<T>, confirm: () => Promise<boolean>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!isReauthenticationRequired(error)) throw error;
    if (!(await confirm())) throw new ReauthCancelledError();
    return action();
  }
}

/** An SVG path with one unit square per dark module of a QR matrix (rows of booleans). */
export function qrSvgPath(matrix: readonly (readonly boolean[])[]): string {
  const parts: string[] = [];
  matrix.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x} ${y}h1v1h-1z`);
    }),
  );
  return parts.join('');
}
