import type { RotorEventMap, RotorEventName } from './types.js';

type Listener<K extends RotorEventName> = (payload: RotorEventMap[K]) => void;

/** A tiny typed event emitter; a throwing listener never breaks the client or other listeners. */
export class Emitter {
  private readonly listeners = new Map<RotorEventName, Set<Listener<RotorEventName>>>();

  on<K extends RotorEventName>(name: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<RotorEventName>);
    return () => {
      set.delete(listener as Listener<RotorEventName>);
    };
  }

  emit<K extends RotorEventName>(name: K, payload: RotorEventMap[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error) {
        // Report without letting one listener break the refresh machinery.
        const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
        if (typeof report === 'function') report(error);
        else console.error(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
