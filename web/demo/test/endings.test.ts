import { describe, expect, it } from 'vitest';
import { arrivalNotice, endingKey, endingMessage, withoutArrival } from '../src/endings';

const notice = (query: string) => arrivalNotice(new URLSearchParams(query))?.text;

describe('why the login page is shown', () => {
  it('says the same for the same URL, on arrival and after a reload', () => {
    // Chromium drops the cookie at the session's end; the server then says the cookie is missing.
    expect(notice('reason=refresh_token_missing&next=%2Fdashboard')).toBe('Your session has ended. Please log in again.');
    expect(notice('reason=refresh_token_missing&next=%2Fdashboard')).not.toMatch(/not signed in/);
    expect(notice('reason=refresh_token_expired')).toMatch(/Your session has expired/);
  });

  it('says what really happened when the reason is known', () => {
    expect(endingKey({ code: 'session_revoked', reason: 'password_changed' })).toBe('password_changed');
    expect(endingKey({ code: 'signed_out_elsewhere', reason: 'logout_all' })).toBe('logout_all');
    expect(endingKey({ code: 'signed_out_elsewhere' })).toBe('signed_out_elsewhere');
    expect(notice('reason=password_changed')).toMatch(/^Your password was changed/);
    expect(notice('reason=password_changed')).not.toMatch(/another tab/);
    expect(notice('reason=logout_all')).toMatch(/^You signed out on all devices/);
    expect(notice('reason=signed_out_everywhere')).toBe('You signed out on all devices.');
    expect(notice('reason=revoked_by_user')).toMatch(/^This session was signed out from another of your devices/);
    expect(notice('reason=signed_out_elsewhere')).toBe('You signed out in another tab.');
    expect(notice('reason=signed_out')).toBe('You are signed out.');
  });

  it('reads unknown reasons through the error messages, never as a code', () => {
    expect(endingMessage('brand_new_reason')).not.toMatch(/_/);
    expect(notice('')).toBeUndefined();
  });

  it('gives one notice: a reset or a verified address before a reason', () => {
    expect(arrivalNotice(new URLSearchParams('reset=1&reason=signed_out'))?.kind).toBe('success');
    expect(notice('verified=1')).toMatch(/Email verified/);
  });

  it('drops the notice from the URL once the user acts, keeping where to go next', () => {
    expect(withoutArrival('/login', new URLSearchParams('reason=signed_out&next=%2Fsessions'))).toBe('/login?next=%2Fsessions');
    expect(withoutArrival('/login', new URLSearchParams('reset=1'))).toBe('/login');
  });
});
