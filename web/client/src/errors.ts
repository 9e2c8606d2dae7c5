/** An RFC 9457 problem document as Rotor's server sends it. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: Record<string, string[]>;
  [key: string]: unknown;
}

/** Base class of every error this library throws. */
export class RotorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The server answered an auth call (login, register, …) with an error. */
export class RotorApiError extends RotorError {
  readonly status: number;
  /** The problem's stable `code`, or `http_<status>` when the body had none. */
  readonly code: string;
  readonly problem: ProblemDetails;
  /** Seconds from the `Retry-After` header, when present. */
  readonly retryAfter: number | null;

  constructor(status: number, problem: ProblemDetails, retryAfter: number | null) {
    super(problem.detail ?? problem.title ?? `Request failed with status ${status}`);
    this.status = status;
    this.code = typeof problem.code === 'string' && problem.code ? problem.code : `http_${status}`;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /** Per-field validation messages of a `validation_failed` problem. */
  get fieldErrors(): Record<string, string[]> {
    return this.problem.errors ?? {};
  }
}

/**
 * 401 `mfa_required`: the password was right and the account has two-step sign-in on. Not a session
 * end: ask for the authenticator code (or a recovery code) and go on.
 */
export class MfaRequiredError extends RotorApiError {
  /**
   * From `login`: pass it to `completeMfa` (single use, valid for 5 minutes). Null from `reauthenticate`,
   * which has no challenge: call it again with the password and the `code`.
   */
  readonly challenge: string | null;
  /** The second steps the server takes, e.g. `['totp', 'recovery_code']`. */
  readonly methods: string[];

  constructor(status: number, problem: ProblemDetails, retryAfter: number | null) {
    super(status, problem, retryAfter);
    this.challenge = typeof problem.challenge === 'string' && problem.challenge ? problem.challenge : null;
    this.methods = Array.isArray(problem.methods)
      ? problem.methods.filter((m): m is string => typeof m === 'string')
      : [];
  }
}

/**
 * 403 `reauthentication_required`: the action needs a recent sign-in (the access token's `auth_time` is
 * too old). Ask for the password (and code), call `reauthenticate`, then retry the action once.
 */
export class ReauthenticationRequiredError extends RotorApiError {}

/** True for a `reauthentication_required` answer, whichever way the error was made. */
export function isReauthenticationRequired(error: unknown): error is RotorApiError {
  return error instanceof RotorApiError && error.code === 'reauthentication_required';
}

/** The server's error as the most specific `RotorApiError` class for its `code`. */
export function createApiError(status: number, problem: ProblemDetails, retryAfter: number | null): RotorApiError {
  switch (problem.code) {
    case 'mfa_required':
      return new MfaRequiredError(status, problem, retryAfter);
    case 'reauthentication_required':
      return new ReauthenticationRequiredError(status, problem, retryAfter);
    default:
      return new RotorApiError(status, problem, retryAfter);
  }
}

/** The session is over (the refresh was answered 401, or the user signed out); sign in again. */
export class SessionExpiredError extends RotorError {
  readonly code: string;
  /**
   * Why the server revoked the session, when it said (`session_revoked` with a `reason` such as `logout_all`,
   * `password_changed` or `revoked_by_user`); otherwise null.
   */
  readonly reason: string | null;
  constructor(code: string, reason: string | null = null) {
    super(`The session has ended (${code}). Sign in again.`);
    this.code = code;
    this.reason = reason;
  }
}

/**
 * A refresh failed for a reason that is not the session's (server answered 503 or 429, the
 * network is down, the request timed out). The session is kept; try again after `retryAt`.
 */
export class RefreshUnavailableError extends RotorError {
  /** HTTP status of the failed refresh, or 0 for a network failure or time-out. */
  readonly status: number;
  readonly code: string;
  readonly retryAt: Date;

  constructor(status: number, code: string, retryAt: Date, options?: { cause?: unknown }) {
    super(
      status === 0
        ? 'The sign-in server could not be reached. Your session is kept; try again shortly.'
        : `The sign-in server is unavailable (${status}). Your session is kept; try again shortly.`,
      options,
    );
    this.status = status;
    this.code = code;
    this.retryAt = retryAt;
  }
}

/** Parses `Retry-After` (delta-seconds or an HTTP date) into seconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Reads a problem document from a failed response; tolerant of bodies that are not JSON. */
export async function readProblem(response: Response): Promise<ProblemDetails> {
  let problem: ProblemDetails = { status: response.status };
  try {
    const text = await response.text();
    if (text) {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        problem = { status: response.status, ...(parsed as ProblemDetails) };
      }
    }
  } catch {
    // A proxy's HTML error page or an empty body: the status alone has to do.
  }
  return problem;
}

/**
 * Builds a `RotorApiError` from a non-2xx response: an `MfaRequiredError` for `mfa_required`, a
 * `ReauthenticationRequiredError` for `reauthentication_required`.
 */
export async function toApiError(response: Response, now: number = Date.now()): Promise<RotorApiError> {
  const problem = await readProblem(response);
  return createApiError(response.status, problem, parseRetryAfter(response.headers.get('Retry-After'), now));
}
