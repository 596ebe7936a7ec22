/**
 * A per-key cache whose entries go stale at a time each entry decides, with single flight: callers
 * that ask for the same key while it is being loaded share that one load. A failed load is not cached.
 */
export interface StaleAtCache<T> {
  get(key: string, load: () => Promise<T>): Promise<T>;
  delete(key: string): void;
}

export function createStaleAtCache<T>(staleAt: (value: T) => number, now: () => number): StaleAtCache<T> {
  const entries = new Map<string, { value: T; staleAt: number }>();
  const inFlight = new Map<string, Promise<T>>();
  return {
    get(key, load) {
      const hit = entries.get(key);
      if (hit && now() < hit.staleAt) return Promise.resolve(hit.value);
      entries.delete(key);
      let pending = inFlight.get(key);
      if (!pending) {
        pending = load()
          .then((value) => {
            entries.set(key, { value, staleAt: staleAt(value) });
            return value;
          })
          .finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
