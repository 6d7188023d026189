import { type Db, type ProjectRow, projectsRepository, settingsRepository } from '@uncloud/db';

const key = (name: string) => `registry_namespace:${name}`;

/**
 * The project whose repositories `<name>/…` are. A name belongs to the first project that used it
 * in the registry, for good: a project renamed or deleted keeps its old name's images out of reach
 * of a later project that takes the name. Undefined when no live project owns the name.
 */
export const projectOfNamespace = (db: Db, name: string): ProjectRow | undefined => {
  const named = projectsRepository.findByName(db, name);
  const claimed = settingsRepository.get(db, key(name));
  if (claimed === undefined && !named) return undefined;
  const owner = claimed ?? settingsRepository.getOrCreate(db, key(name), () => named!.id);
  if (!named || named.id !== owner || named.state === 'deleting') return undefined;
  return named;
};
