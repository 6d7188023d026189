/**
 * The signed-in API token. It lives in sessionStorage so that it is gone when the tab closes (and
 * is never shared with other tabs or kept on disk across browser restarts), and components follow
 * it through `useSyncExternalStore`. Where storage is refused (some private modes), it is kept in
 * memory for the life of the page instead.
 */
const KEY = 'uncloud.token';
const listeners = new Set<() => void>();
let inMemory: string | null = null;

const read = (): string | null => {
  try {
    return sessionStorage.getItem(KEY) ?? inMemory;
  } catch {
    return inMemory;
  }
};

const notify = () => listeners.forEach((l) => l());

export const session = {
  getToken: read,
  setToken(token: string) {
    try {
      sessionStorage.setItem(KEY, token);
      inMemory = null;
    } catch {
      inMemory = token;
    }
    notify();
  },
  clear() {
    inMemory = null;
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // Nothing was stored there.
    }
    notify();
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};
