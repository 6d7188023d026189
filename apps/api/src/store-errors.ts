import { unavailable } from '@uncloud/sdk';
import type { Services } from '@uncloud/sdk/contract';
import type { Logger } from './logger.ts';

/** SQLite's "another connection holds the lock" family: SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, …. */
const isBusy = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
};

/** Every method of `target`, wrapped by `wrap` (once, on first use); other properties as they are. */
type Call = (args: unknown[]) => unknown;

const wrapMethods = <T extends object>(target: T, wrap: (call: Call) => unknown): T => {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get: (object, key, receiver) => {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== 'function') return value;
      if (!wrapped.has(key))
        wrapped.set(
          key,
          wrap((args) => Reflect.apply(value, object, args)),
        );
      return wrapped.get(key);
    },
  });
};

/**
 * The services, with a database that stayed locked past its busy timeout (another process writing
 * to the same file) answered as UNAVAILABLE (503, retry later) instead of an internal error: the
 * transaction was rolled back and nothing happened, so trying again is safe.
 */
export const answerBusyAsUnavailable = (services: Services, logger: Logger): Services => {
  const translate = (error: unknown): never => {
    if (!isBusy(error)) throw error;
    logger.warn({ err: error }, 'database busy past its timeout');
    throw unavailable('The database is busy with another writer; try again in a moment');
  };
  const guard =
    (call: Call) =>
    (...args: unknown[]): unknown => {
      try {
        const result = call(args);
        return result instanceof Promise ? result.catch(translate) : result;
      } catch (error) {
        return translate(error);
      }
    };
  const ports = new Map(Object.entries(services).map(([name, port]) => [name, wrapMethods(port, guard)]));
  return new Proxy(services, {
    get: (target, key, receiver) =>
      (typeof key === 'string' ? ports.get(key) : undefined) ?? Reflect.get(target, key, receiver),
  });
};
