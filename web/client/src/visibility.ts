import type { VisibilitySource } from './types.js';

/** `document.visibilityState`; without a document (workers, Node) the page counts as visible. */
export function defaultVisibility(): VisibilitySource {
  const doc = (globalThis as { document?: Document }).document;
  if (!doc || typeof doc.addEventListener !== 'function') {
    return { isVisible: () => true, subscribe: () => () => undefined };
  }
  return {
    isVisible: () => doc.visibilityState !== 'hidden',
    subscribe(listener) {
      doc.addEventListener('visibilitychange', listener);
      return () => doc.removeEventListener('visibilitychange', listener);
    },
  };
}
