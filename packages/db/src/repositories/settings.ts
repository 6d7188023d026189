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
