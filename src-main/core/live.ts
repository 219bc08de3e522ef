/**
 * An object that forwards every property to whichever instance `current` returns now: the API
 * is built once on these, and a core that restarts swaps what stands behind them. Methods are
 * bound to the instance, so `this` inside them is the real one.
 */
export function live<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get(_, property) {
      const target = current();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has: (_, property) => Reflect.has(current(), property),
  });
}
