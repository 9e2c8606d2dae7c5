import type { LockManagerLike } from '../src/index.js';

/** A Web Locks stand-in: exclusive locks granted in request order, honouring abort signals. */
export class FakeLocks implements LockManagerLike {
  private tail = new Map<string, Promise<void>>();
  granted = 0;
  request<T>(name: string, options: { signal?: AbortSignal }, callback: (lock: unknown) => Promise<T> | T): Promise<T> {
    const previous = this.tail.get(name) ?? Promise.resolve();
    let release!: () => void;
    this.tail.set(name, new Promise<void>((r) => (release = r)));
    return new Promise<T>((resolve, reject) => {
      let aborted = false;
      options.signal?.addEventListener('abort', () => {
        aborted = true;
        reject(new DOMException('aborted', 'AbortError'));
      });
      void previous.then(async () => {
        if (aborted) return release();
        this.granted++;
        try {
          resolve(await callback({ name }));
        } catch (e) {
          reject(e);
        } finally {
          release();
        }
      });
    });
  }
}
