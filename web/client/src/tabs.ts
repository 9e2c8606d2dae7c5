import type { TabMessage } from './broadcast.js';
import type { SessionKeeper } from './session.js';

/** What this tab does with a message from another tab of the same origin. */
export function applyTabMessage(keeper: SessionKeeper, message: TabMessage): void {
  const current = keeper.session;
  switch (message.type) {
    case 'token': {
      if (current && current.accessToken === message.accessToken) return;
      const sameSession = current !== null && current.sessionId === message.sessionId;
      // A stale token of our own session must not replace a newer one.
      if (current && sameSession && !message.login && current.expiresAt >= message.expiresAt) return;
      keeper.adopt(
        {
          accessToken: message.accessToken,
          expiresAt: message.expiresAt,
          receivedAt: message.receivedAt,
          sessionId: message.sessionId,
          user: message.user,
        },
        message.login,
      );
      return;
    }
    case 'logout': {
      if (!current) return;
      keeper.end({ kind: 'signedOutElsewhere', reason: message.reason });
      return;
    }
    case 'sessionExpired': {
      if (!current) return;
      if (message.sessionId && current.sessionId && message.sessionId !== current.sessionId) return;
      keeper.end({ kind: 'expired', code: message.code, reason: message.reason, tellTabs: false });
      return;
    }
  }
}
