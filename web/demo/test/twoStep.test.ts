import { MfaRequiredError, ReauthenticationRequiredError, RotorApiError } from '@rotor/client';
import { describe, expect, it, vi } from 'vitest';
import { askToReauthenticate, currentReauthRequest, settleReauthentication, withReauthPrompt } from '../src/reauth';
import {
  afterSecondStepError,
  cleanRecoveryCode,
  cleanTotp,
  groupKey,
  isTotp,
  qrSvgPath,
  ReauthCancelledError,
  secondStepFrom,
  withReauth,
} from '../src/twoStep';

const reauthRequired = () => new ReauthenticationRequiredError(403, { code: 'reauthentication_required' }, null);
const problem = (status: number, code: string) => new RotorApiError(status, { code }, null);

describe('codes as typed', () => {
  it('keeps 6 digits of an authenticator code, whatever was pasted', () => {
    expect(cleanTotp(' 123 456 ')).toBe('123456');
    expect(cleanTotp('12-34-56-78')).toBe('123456');
    expect(isTotp('123456')).toBe(true);
    expect(isTotp('12345')).toBe(false);
    expect(isTotp('12345a')).toBe(false);
  });

  it('cleans recovery codes and groups the authenticator key for typing', () => {
    expect(cleanRecoveryCode(' abcde-fghij \n')).toBe('ABCDE-FGHIJ');
    expect(groupKey('jbsw y3dp ehpk 3pxp')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupKey('JBSWY3DPEHPK3PXPA')).toBe('JBSW Y3DP EHPK 3PXP A');
    expect(groupKey('')).toBe('');
  });
});

describe('second sign-in step', () => {
  it('starts from mfa_required with a challenge, offering recovery codes when the server takes them', () => {
    const both = new MfaRequiredError(401, { code: 'mfa_required', challenge: 'c1', methods: ['totp', 'recovery_code'] }, null);
    expect(secondStepFrom(both)).toEqual({ challenge: 'c1', recoveryCodes: true });
    const totpOnly = new MfaRequiredError(401, { code: 'mfa_required', challenge: 'c2', methods: ['totp'] }, null);
    expect(secondStepFrom(totpOnly)).toEqual({ challenge: 'c2', recoveryCodes: false });
    // No challenge (reauthenticate's answer) or any other error: no second step.
    expect(secondStepFrom(new MfaRequiredError(401, { code: 'mfa_required' }, null))).toBeNull();
    expect(secondStepFrom(problem(401, 'invalid_credentials'))).toBeNull();
  });

  it('retries a wrong code, restarts on a spent challenge, and stays otherwise', () => {
    expect(afterSecondStepError(problem(401, 'mfa_code_invalid'))).toBe('retry');
    expect(afterSecondStepError(problem(401, 'mfa_challenge_invalid'))).toBe('restart');
    expect(afterSecondStepError(problem(429, 'rate_limited'))).toBe('stay');
    expect(afterSecondStepError(new TypeError('Failed to fetch'))).toBe('stay');
  });
});

describe('withReauth', () => {
  it('runs the action once when no recent sign-in is needed', async () => {
    const confirm = vi.fn(async () => true);
    expect(await withReauth(async () => 'ok', confirm)).toBe('ok');
    expect(confirm).not.toHaveBeenCalled();
  });

  it('on reauthentication_required asks, then retries exactly once', async () => {
    const action = vi.fn<() => Promise<string>>().mockRejectedValueOnce(reauthRequired()).mockResolvedValueOnce('done');
    const confirm = vi.fn(async () => true);
    expect(await withReauth(action, confirm)).toBe('done');
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(action).toHaveBeenCalledTimes(2);
  });

  it('gives a second refusal to the caller: no loop', async () => {
    const action = vi.fn(async () => {
      throw reauthRequired();
    });
    await expect(withReauth(action, async () => true)).rejects.toBeInstanceOf(ReauthenticationRequiredError);
    expect(action).toHaveBeenCalledTimes(2);
  });

  it('does not retry when the user cancels, and leaves other errors alone', async () => {
    const action = vi.fn(async () => {
      throw reauthRequired();
    });
    await expect(withReauth(action, async () => false)).rejects.toBeInstanceOf(ReauthCancelledError);
    expect(action).toHaveBeenCalledTimes(1);

    const confirm = vi.fn(async () => true);
    await expect(withReauth(async () => Promise.reject(problem(404, 'session_not_found')), confirm)).rejects.toMatchObject({
      code: 'session_not_found',
    });
    expect(confirm).not.toHaveBeenCalled();
  });
});

describe('the reauthentication prompt', () => {
  it('is opened once for actions that need it together, and settles them all', async () => {
    const first = askToReauthenticate();
    const second = askToReauthenticate({ needsCode: true });
    expect(currentReauthRequest()).toMatchObject({ needsCode: true });
    settleReauthentication(true);
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(currentReauthRequest()).toBeNull();
  });

  it('withReauthPrompt retries after the user confirmed, and reports a cancel', async () => {
    let calls = 0;
    const action = async () => {
      if (++calls === 1) throw reauthRequired();
      return calls;
    };
    const result = withReauthPrompt(action, { needsCode: false });
    await vi.waitFor(() => expect(currentReauthRequest()).not.toBeNull());
    settleReauthentication(true);
    expect(await result).toBe(2);

    const cancelled = withReauthPrompt(async () => Promise.reject(reauthRequired()));
    await vi.waitFor(() => expect(currentReauthRequest()).not.toBeNull());
    settleReauthentication(false);
    await expect(cancelled).rejects.toBeInstanceOf(ReauthCancelledError);
  });
});

describe('qrSvgPath', () => {
  it('draws one unit square per dark module', () => {
    expect(
      qrSvgPath([
        [true, false],
        [false, true],
      ]),
    ).toBe('M0 0h1v1h-1zM1 1h1v1h-1z');
  });
});
