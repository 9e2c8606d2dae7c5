import { defaultChannelFactory } from './broadcast.js';
import { defaultLocks } from './lock.js';
import type {
  ChannelFactory,
  LockManagerLike,
  RotorClientOptions,
  SessionExpiredInfo,
  VisibilitySource,
} from './types.js';
import { RotorUrls } from './urls.js';
import { defaultVisibility } from './visibility.js';

/** Every default of `RotorClientOptions`, in one place (the option docs in types.ts say the same numbers). */
export const DEFAULTS = {
  refreshMargin: 30_000,
  proactiveRefresh: true,
  requestedWith: 'rotor',
  lockTimeoutMs: 5000,
  lockHandoffMs: 25,
  refreshTimeoutMs: 15_000,
  backoff: { initialMs: 1000, maxMs: 30_000 },
  channelPrefix: 'rotor:',
} as const;

/** The options with every default filled in, as the client's parts read them. */
export interface ResolvedOptions {
  urls: RotorUrls;
  onSessionExpired: (info: SessionExpiredInfo) => void;
  refreshMargin: number;
  proactiveRefresh: boolean;
  fetch: typeof fetch;
  requestedWith: string;
  channelName: string;
  /** The Web Lock's name, derived from the channel name so tabs of one server share it. */
  lockName: string;
  lockTimeoutMs: number;
  lockHandoffMs: number;
  refreshTimeoutMs: number;
  backoff: { initialMs: number; maxMs: number };
  locks: LockManagerLike | null;
  channel: ChannelFactory | null;
  visibility: VisibilitySource;
  now: () => number;
}

/** Without an `onSessionExpired`, the page goes to /login (unless it is there already). */
function goToLogin(): void {
  const loc = (globalThis as { location?: Location }).location;
  if (loc && loc.pathname !== '/login') loc.assign('/login');
}

/** Checks the options and fills in the defaults. `null` for `locks` or `channel` means "none", not "default". */
export function resolveOptions(options: RotorClientOptions): ResolvedOptions {
  if (!options || typeof options.baseUrl !== 'string') {
    throw new TypeError('createRotorClient: options.baseUrl is required, e.g. location.origin.');
  }
  const urls = new RotorUrls(options.baseUrl, options.excludedPaths);
  const channelName = options.channelName ?? `${DEFAULTS.channelPrefix}${urls.resolve('/')}`;
  return {
    urls,
    onSessionExpired: options.onSessionExpired ?? goToLogin,
    refreshMargin: options.refreshMargin ?? DEFAULTS.refreshMargin,
    proactiveRefresh: options.proactiveRefresh ?? DEFAULTS.proactiveRefresh,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    requestedWith: options.requestedWith ?? DEFAULTS.requestedWith,
    channelName,
    lockName: `${channelName}:refresh`,
    lockTimeoutMs: options.lockTimeoutMs ?? DEFAULTS.lockTimeoutMs,
    lockHandoffMs: options.lockHandoffMs ?? DEFAULTS.lockHandoffMs,
    refreshTimeoutMs: options.refreshTimeoutMs ?? DEFAULTS.refreshTimeoutMs,
    backoff: {
      initialMs: options.backoff?.initialMs ?? DEFAULTS.backoff.initialMs,
      maxMs: options.backoff?.maxMs ?? DEFAULTS.backoff.maxMs,
    },
    locks: options.locks === undefined ? defaultLocks() : options.locks,
    channel: options.channel === undefined ? defaultChannelFactory() : options.channel,
    visibility: options.visibility ?? defaultVisibility(),
    now: options.now ?? (() => Date.now()),
  };
}
