/**
 * The signed-in API token. It lives in sessionStorage so that it is gone when the tab closes, and
 * components follow it through `useSyncExternalStore`.
 */
const KEY = 'uncloud.token';
const listeners = new Set<() => void>();

const read = (): string | null => {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
};

export const session = {
  getToken: read,
  setToken(token: string) {
    sessionStorage.setItem(KEY, token);
    listeners.forEach((l) => l());
  },
  clear() {
    sessionStorage.removeItem(KEY);
    listeners.forEach((l) => l());
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};
