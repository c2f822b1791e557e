/**
 * What a suite's `beforeAll` will make, readable at the top of the file: the hook-registering
 * helpers (useApiHarness, useSandbox) answer this; reading it before the hook ran is a test bug.
 * It spreads like the object it stands for (`{ ...h }`).
 */
export function lateBound<T extends object>(current: () => T | undefined, what: string): T {
  const target = (key: string | symbol): T => {
    const made = current();
    if (!made) throw new Error(`${what}'s ${String(key)} was read before its beforeAll ran`);
    return made;
  };
  return new Proxy({} as T, {
    get(_, key) {
      // Values as they are, unbound: the harnesses' functions are closures (and an Express app's `bind` is a route).
      return Reflect.get(target(key), key);
    },
    ownKeys: () => Reflect.ownKeys(target('keys')),
    getOwnPropertyDescriptor(_, key) {
      const found = Reflect.getOwnPropertyDescriptor(target(key), key);
      return found && { ...found, configurable: true };
    },
  });
}
