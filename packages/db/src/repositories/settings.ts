import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { settings } from '../schema.ts';

const INSTALLATION_ID = 'installation_id';

/** Facts about this installation itself, one value per key. */
export const settingsRepository = {
  get(db: Db, key: string): string | undefined {
    return db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()?.value;
  },

  /**
   * The value of `key`, made by `make` and kept the first time it is asked for. Two processes
   * racing keep the first one written, and both answer it.
   */
  getOrCreate(db: Db, key: string, make: () => string): string {
    const existing = settingsRepository.get(db, key);
    if (existing !== undefined) return existing;
    db.insert(settings).values({ key, value: make() }).onConflictDoNothing().run();
    return settingsRepository.get(db, key)!;
  },

  /**
   * This installation's id, made the first time it is asked for and kept for good: the label that
   * tells its objects in a cluster from any other installation's. A UUID, so a valid label value.
   */
  installationId(db: Db): string {
    const existing = settingsRepository.get(db, INSTALLATION_ID);
    if (existing) return existing;
    db.insert(settings).values({ key: INSTALLATION_ID, value: randomUUID() }).onConflictDoNothing().run();
    return settingsRepository.get(db, INSTALLATION_ID)!;
  },
};
