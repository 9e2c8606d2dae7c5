export { createRotorClient } from './client.js';
export type {
  Credentials,
  LogoutOptions,
  OtpVerification,
  Registration,
  RotorClient,
  RotorRequestHooks,
} from './contract.js';
export {
  createApiError,
  isReauthenticationRequired,
  MfaRequiredError,
  parseRetryAfter,
  readProblem,
  ReauthenticationRequiredError,
  RefreshUnavailableError,
  RotorApiError,
  RotorError,
  SessionExpiredError,
  toApiError,
} from './errors.js';
export type { ProblemDetails } from './errors.js';
export { withLock } from './lock.js';
export type { MfaCompletion, Reauthentication } from './mfa.js';
export { DEFAULT_EXCLUDED_PATHS } from './urls.js';
export type {
  BackoffOptions,
  ChannelFactory,
  ChannelLike,
  LockManagerLike,
  LoginEvent,
  LogoutEvent,
  RefreshEvent,
  RefreshFailedEvent,
  RefreshReason,
  RotorClientOptions,
  RotorEventMap,
  RotorEventName,
  RotorUser,
  SessionExpiredInfo,
  SessionState,
  TokenResponse,
  VisibilitySource,
} from './types.js';
