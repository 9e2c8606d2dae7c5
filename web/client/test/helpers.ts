import { vi } from 'vitest';
import { createRotorClient, type RotorClient, type RotorClientOptions } from '../src/index.js';
import { BASE, FakeRotorServer } from './fakeServer.js';

export interface Harness {
  server: FakeRotorServer;
  client: RotorClient;
  onSessionExpired: ReturnType<typeof vi.fn>;
}

/** A client wired to a fresh fake server, with no tab channel and no locks unless asked. */
export function setup(overrides: Partial<RotorClientOptions> = {}, server = new FakeRotorServer()): Harness {
  const onSessionExpired = vi.fn();
  const client = createRotorClient({
    baseUrl: BASE,
    fetch: server.fetch,
    onSessionExpired,
    channel: null,
    locks: null,
    ...overrides,
  });
  return { server, client, onSessionExpired };
}

export async function signIn(h: Harness): Promise<void> {
  await h.client.login({ username: 'alice', password: 'correct horse' });
}
