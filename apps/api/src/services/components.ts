import {
  type AnyActionRow,
  type ComponentRow,
  actionsRepository,
  componentsRepository,
  type IntentStore,
  newId,
} from '@uncloud/db';
import { type Catalogue, type CatalogueEntry, findVersion } from '@uncloud/kube';
import {
  type Component,
  type ComponentAction,
  type ComponentActionType,
  type ComponentName,
  type Preflight,
  type StorageVariant,
  type SystemAction,
  badRequest,
  conflict,
  requiredComponents,
  unavailable,
} from '@uncloud/sdk';
import type { ComponentService } from '@uncloud/sdk/contract';

/** What the service asks of the runtime side: reconcile a component now, and read the preflight. */
export interface Provisioner {
  enqueue(name: ComponentName): void;
  preflight(): Promise<Preflight>;
}

export interface ComponentServiceDeps {
  store: IntentStore;
  catalogue: Catalogue;
  /** Absent when Uncloud runs without a cluster. */
  provisioner: Provisioner | undefined;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

const warningsOf = (entry: CatalogueEntry, row: ComponentRow | undefined): string[] => {
  const warnings: string[] = [];
  if (row?.variant === 'local-path')
    warnings.push(
      "k3s local-path keeps each volume on one node's disk: right for a single node; with more nodes, install Longhorn or Rook-Ceph",
    );
  if (entry.name === 'object-storage')
    warnings.push(
      "keeps one copy of each object (Rook's pools of size 1): raise the CephObjectStore's pool sizes with more nodes",
    );
  if (entry.name === 'prometheus')
    warnings.push("scrapes Uncloud's /metrics at uncloud.uncloud.svc:80, where deploy/ runs it");
  return warnings;
};

/** A component's install, upgrade, repair or uninstall, as the actions table holds it. */
const presentSystemAction = (row: AnyActionRow): SystemAction => ({
  id: row.id,
  projectId: null,
  type: row.type as ComponentActionType,
  resourceKind: 'component',
  resourceId: row.resourceId as ComponentName,
  status: row.status,
  params: row.params,
  error: row.error,
  startedAt: row.createdAt.toISOString(),
  completedAt: iso(row.completedAt),
});

/** The provisioner's service: components as intent, administrators only (but `readiness`). */
export const createComponentService = ({
  store,
  catalogue,
  provisioner,
}: ComponentServiceDeps): ComponentService => {
  const db = store.db;

  const present = (name: ComponentName, row: ComponentRow | undefined): Component => {
    const entry = catalogue[name];
    const caps = componentsRepository.capabilities(db);
    const found = caps?.present.includes(name) ?? false;
    const managed = row !== undefined && !(row.desired === 'uninstalled' && row.state === 'absent');
    return {
      name,
      title: entry.title,
      description: entry.description,
      required: (requiredComponents as readonly ComponentName[]).includes(name),
      dependsOn: entry.dependsOn,
      state: managed ? row.state : found ? 'present' : 'absent',
      managed: managed && row.desired === 'installed',
      version: managed ? row.version : null,
      variant: managed ? (row.variant ?? null) : null,
      installedVersion: managed ? row.installedVersion : null,
      available: entry.checkOnly
        ? []
        : entry.versions.map((v) => ({
            version: v.version,
            variant: v.variant ?? null,
            sources: v.sources.map((s) => s.url),
            verified: v.sources.every((s) => s.sha256),
          })),
      health: managed ? row.health : [],
      warnings: warningsOf(entry, row),
      lastError: row?.syncError ?? null,
      action: row?.action ?? null,
      observedAt: iso(row?.observedAt ?? null) ?? caps?.observedAt ?? null,
    };
  };

  const get = (name: ComponentName) => present(name, componentsRepository.find(db, name));

  /** Records the intent and its action in one transaction, then has it reconciled at once. */
  const desire = (
    name: ComponentName,
    type: ComponentActionType,
    intent: { desired: 'installed' | 'uninstalled'; version: string; variant: StorageVariant | null },
  ) => {
    const action: ComponentAction = {
      id: newId('action'),
      type,
      status: 'in-progress',
      version: intent.version,
      error: null,
      startedAt: new Date().toISOString(),
      completedAt: null,
    };
    store.transaction((tx) => componentsRepository.desire(tx, name, intent, action));
    provisioner?.enqueue(name);
    return get(name);
  };

  const installed = (row: ComponentRow | undefined): row is ComponentRow => row?.desired === 'installed';

  const assertIdle = (row: ComponentRow | undefined) => {
    if (row?.action?.status === 'in-progress')
      throw conflict(
        `${catalogue[row.name].title} is busy with its ${row.action.type} (${row.action.id}); wait for it to finish, or uninstall`,
      );
  };

  const versionOf = (
    entry: CatalogueEntry,
    version: string | undefined,
    variant: StorageVariant | undefined,
  ) => {
    const found = findVersion(entry, version, variant);
    if (!found)
      throw badRequest(
        `${entry.title} has no version ${version ?? ''}${variant ? ` for ${variant}` : ''} in the catalogue: choose one of ${entry.versions
          .filter((v) => !variant || v.variant === variant)
          .map((v) => v.version)
          .join(', ')}`,
        'version',
      );
    const unverified = found.sources.find((s) => !s.sha256);
    if (unverified)
      throw badRequest(
        `${entry.title} ${found.version}: no checksum is recorded for ${unverified.url}; verify the file and record its sha256 in the components catalogue (UNCLOUD_COMPONENTS_CATALOGUE, docs/provisioner.md)`,
        'version',
      );
    return found;
  };

  return {
    list: () => {
      const rows = new Map(componentsRepository.all(db).map((row) => [row.name, row]));
      return Object.values(catalogue).map((entry) => present(entry.name, rows.get(entry.name)));
    },

    get,

    async preflight() {
      if (!provisioner) throw unavailable('Uncloud runs without a cluster: there is nothing to check');
      return provisioner.preflight();
    },

    listActions(input) {
      const page = actionsRepository.listSystem(db, input);
      return { items: page.items.map(presentSystemAction), nextCursor: page.nextCursor, total: page.total };
    },

    getAction: (id) => presentSystemAction(actionsRepository.getSystem(db, id)),

    readiness() {
      const caps = componentsRepository.capabilities(db);
      return { missing: caps ? requiredComponents.filter((name) => !caps.present.includes(name)) : [] };
    },

    install({ name, version, variant }) {
      const entry = catalogue[name];
      if (entry.checkOnly)
        throw badRequest(
          `${entry.title} is checked, never installed: the cluster's distribution provides it`,
          'name',
        );
      if (variant && name !== 'storage')
        throw badRequest('only the storage component has variants', 'variant');
      const row = componentsRepository.find(db, name);
      assertIdle(row);
      const chosenVariant =
        name === 'storage' ? (variant ?? (installed(row) ? row.variant : null) ?? 'longhorn') : undefined;
      const chosen = versionOf(
        entry,
        version ?? (installed(row) && row.variant === (chosenVariant ?? null) ? row.version : undefined),
        chosenVariant,
      );
      if (
        installed(row) &&
        row.version === chosen.version &&
        row.variant === (chosenVariant ?? null) &&
        row.state !== 'error'
      )
        throw badRequest(
          `${entry.title} ${chosen.version} is installed already; repair applies it again`,
          'version',
        );
      const caps = componentsRepository.capabilities(db);
      for (const dep of entry.dependsOn) {
        const depRow = componentsRepository.find(db, dep);
        if (!installed(depRow) && !caps?.present.includes(dep))
          throw conflict(`${entry.title} needs ${catalogue[dep].title}: install ${dep} first`, 'name');
      }
      const type = installed(row) && row.version !== chosen.version ? 'upgrade' : 'install';
      return desire(name, type, {
        desired: 'installed',
        version: chosen.version,
        variant: chosenVariant ?? null,
      });
    },

    upgrade({ name, version }) {
      const entry = catalogue[name];
      const row = componentsRepository.find(db, name);
      if (!installed(row)) throw conflict(`${entry.title} is not installed by Uncloud: install it`, 'name');
      assertIdle(row);
      if (row.version === version)
        throw badRequest(`${entry.title} is at ${version} already; choose another version`, 'version');
      const chosen = versionOf(entry, version, row.variant ?? undefined);
      return desire(name, 'upgrade', { desired: 'installed', version: chosen.version, variant: row.variant });
    },

    repair(name) {
      const row = componentsRepository.find(db, name);
      if (!installed(row))
        throw conflict(`${catalogue[name].title} is not installed by Uncloud: install it`, 'name');
      assertIdle(row);
      return desire(name, 'repair', { desired: 'installed', version: row.version, variant: row.variant });
    },

    uninstall(name) {
      const entry = catalogue[name];
      const row = componentsRepository.find(db, name);
      if (!installed(row))
        throw conflict(
          `${entry.title} is not installed by Uncloud; what others installed is theirs to remove`,
          'name',
        );
      const dependents = componentsRepository
        .all(db)
        .filter((other) => installed(other) && catalogue[other.name].dependsOn.includes(name));
      if (dependents.length > 0)
        throw conflict(
          `${dependents.map((d) => catalogue[d.name].title).join(' and ')} need ${entry.title}: uninstall ${dependents.map((d) => d.name).join(', ')} first`,
          'name',
        );
      // An uninstall supersedes an install still waiting for health.
      return desire(name, 'uninstall', {
        desired: 'uninstalled',
        version: row.version,
        variant: row.variant,
      });
    },
  };
};
