// @ts-check
// Deletes a project and everything in it: apps, databases, droplets, volumes, firewalls and SSH keys,
// waiting for each to be gone (Kubernetes has let go of it) before deleting the project itself.
//
//   UNCLOUD_URL=http://127.0.0.1:8080 UNCLOUD_TOKEN=… node teardown-project.mjs <project name or id>
import { createUncloudClient, isUncloudError } from '@uncloud/sdk';

const wanted = process.argv[2];
if (!wanted) {
  console.error('usage: node teardown-project.mjs <project name or id>');
  process.exit(2);
}
const client = createUncloudClient(); // reads UNCLOUD_URL and UNCLOUD_TOKEN

const findProject = async () => {
  for await (const project of client.paginate(client.projects.list, {})) {
    if (project.id === wanted || project.name === wanted) return project;
  }
  throw new Error(`you have no project named ${wanted}`);
};

/**
 * Deletes every item `items` yields, then waits until each one is gone.
 * @param {string} kind
 * @param {AsyncIterable<{ id: string }>} items
 * @param {(id: string) => Promise<unknown>} remove
 * @param {(id: string) => Promise<void>} gone
 */
const deleteAll = async (kind, items, remove, gone) => {
  // Collect first: deleting while paging would shift the pages.
  const ids = [];
  for await (const item of items) ids.push(item.id);
  for (const id of ids) {
    await remove(id).catch((error) => {
      // Already gone: nothing left to ask for.
      if (!isUncloudError(error, 'NOT_FOUND')) throw error;
    });
  }
  for (const id of ids) await gone(id);
  if (ids.length > 0) console.log(`deleted ${ids.length} ${kind}`);
};

const project = await findProject();
const projectId = project.id;

// Apps and firewalls first, so that nothing still uses a database or a droplet as it goes away.
await deleteAll(
  'apps',
  client.paginate(client.apps.list, { projectId }),
  (id) => client.apps.delete.mutate({ projectId, id }),
  (id) => client.waitFor(client.apps, { projectId, id }, 'gone'),
);
await deleteAll(
  'firewalls',
  client.paginate(client.firewalls.list, { projectId }),
  (id) => client.firewalls.delete.mutate({ projectId, id }),
  (id) => client.waitFor(client.firewalls, { projectId, id }, 'gone'),
);
await deleteAll(
  'databases',
  client.paginate(client.databases.list, { projectId }),
  (id) => client.databases.delete.mutate({ projectId, id }),
  (id) => client.waitFor(client.databases, { projectId, id }, 'gone'),
);
await deleteAll(
  'droplets',
  client.paginate(client.droplets.list, { projectId }),
  (id) => client.droplets.delete.mutate({ projectId, id }),
  (id) => client.waitFor(client.droplets, { projectId, id }, 'gone'),
);
await deleteAll(
  'volumes',
  client.paginate(client.volumes.list, { projectId }),
  (id) => client.volumes.delete.mutate({ projectId, id }),
  (id) => client.waitFor(client.volumes, { projectId, id }, 'gone'),
);
await deleteAll(
  'SSH keys',
  client.paginate(client.sshKeys.list, { projectId }),
  (id) => client.sshKeys.delete.mutate({ projectId, id }),
  (id) => client.waitFor(client.sshKeys, { projectId, id }, 'gone'),
);

await client.projects.delete.mutate({ projectId });
await client.waitFor(client.projects, { projectId }, 'gone');
console.log(`project ${project.name} (${projectId}) is gone`);
