import type { ChannelFactory, ChannelLike, RotorUser } from './types.js';

/** Messages the tabs of one origin exchange. Never carries the refresh token (JS never sees it). */
export type TabMessage =
  | {
      type: 'token';
      accessToken: string;
      /** Epoch ms on the shared machine clock; every tab of a browser reads the same clock. */
      expiresAt: number;
      receivedAt: number;
      sessionId: string | null;
      user: RotorUser;
      /** True when the sender has just signed in (not merely refreshed). */
      login: boolean;
    }
  | { type: 'logout'; sessionId: string | null; reason?: string }
  | { type: 'sessionExpired'; sessionId: string | null; code: string; reason?: string };

export function defaultChannelFactory(): ChannelFactory | null {
  const Ctor = (globalThis as { BroadcastChannel?: new (name: string) => ChannelLike }).BroadcastChannel;
  if (typeof Ctor !== 'function') return null;
  return (name) => new Ctor(name);
}

/** Shares fresh access tokens and sign-outs between the tabs of one origin. */
export class TabBroadcast {
  private readonly channel: ChannelLike | null;
  private readonly listener: (event: { data: unknown }) => void;

  constructor(factory: ChannelFactory | null, name: string, onMessage: (message: TabMessage) => void) {
    this.listener = (event) => {
      const message = parseMessage(event.data);
      if (message) onMessage(message);
    };
    let channel: ChannelLike | null = null;
    try {
      channel = factory ? factory(name) : null;
    } catch {
      channel = null;
    }
    this.channel = channel;
    this.channel?.addEventListener('message', this.listener);
  }

  post(message: TabMessage): void {
    try {
      this.channel?.postMessage(message);
    } catch {
      // A closed channel must not break sign-in or sign-out in this tab.
    }
  }

  close(): void {
    if (!this.channel) return;
    this.channel.removeEventListener('message', this.listener);
    this.channel.close();
  }
}

function parseMessage(data: unknown): TabMessage | null {
  if (!data || typeof data !== 'object') return null;
  const m = data as Record<string, unknown>;
  const sessionId = typeof m.sessionId === 'string' ? m.sessionId : null;
  switch (m.type) {
    case 'token': {
      const user = m.user as Record<string, unknown> | undefined;
      if (
        typeof m.accessToken !== 'string' ||
        typeof m.expiresAt !== 'number' ||
        typeof m.receivedAt !== 'number' ||
        !user ||
        typeof user.id !== 'string' ||
        typeof user.username !== 'string' ||
        typeof user.email !== 'string'
      ) {
        return null;
      }
      return {
        type: 'token',
        accessToken: m.accessToken,
        expiresAt: m.expiresAt,
        receivedAt: m.receivedAt,
        sessionId,
        user: { id: user.id, username: user.username, email: user.email },
        login: m.login === true,
      };
    }
    case 'logout':
      return { type: 'logout', sessionId, ...reasonOf(m) };
    case 'sessionExpired':
      return {
        type: 'sessionExpired',
        sessionId,
        code: typeof m.code === 'string' ? m.code : 'session_ended',
        ...reasonOf(m),
      };
    default:
      return null;
  }
}

/** A reason member only when the message has a usable one, so listeners see no `reason: undefined`. */
function reasonOf(m: Record<string, unknown>): { reason?: string } {
  return typeof m.reason === 'string' && m.reason && m.reason.length <= 64 ? { reason: m.reason } : {};
}
