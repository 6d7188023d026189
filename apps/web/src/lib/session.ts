/**
 * The signed-in API token. By default it lives in sessionStorage, so that it is gone when the tab
 * closes (never shared with other tabs nor kept across browser restarts). A person who ticks "Keep
 * me signed in" on their own computer keeps it in localStorage instead: new tabs and restarts find
 * it, and signing out in one tab signs out all of them. Components follow it through
 * `useSyncExternalStore`. Where storage is refused (some private modes), it is kept in memory for
 * the life of the page instead.
 */
const KEY = 'uncloud.token';
const listeners = new Set<() => void>();
let inMemory: string | null = null;

const storages = (): Storage[] => {
  try {
    return [sessionStorage, localStorage];
  } catch {
    return [];
  }
};

const read = (): string | null => {
  try {
    return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY) ?? inMemory;
  } catch {
    return inMemory;
  }
};

const notify = () => listeners.forEach((l) => l());

// Another tab signing in or out with a kept token changes this one too.
if (typeof window !== 'undefined')
  window.addEventListener('storage', (event) => {
    if (event.key === KEY || event.key === null) notify();
  });

export const session = {
  getToken: read,
  /** True when the token is kept beyond this tab. */
  isKept: () => {
    try {
      return localStorage.getItem(KEY) !== null;
    } catch {
      return false;
    }
  },
  setToken(token: string, { keep = false }: { keep?: boolean } = {}) {
    try {
      (keep ? localStorage : sessionStorage).setItem(KEY, token);
      (keep ? sessionStorage : localStorage).removeItem(KEY);
      inMemory = null;
    } catch {
      inMemory = token;
    }
    notify();
  },
  clear() {
    inMemory = null;
    for (const storage of storages()) {
      try {
        storage.removeItem(KEY);
      } catch {
        // Nothing was stored there.
      }
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
