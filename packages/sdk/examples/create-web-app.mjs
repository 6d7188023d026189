// @ts-check
// Creates a web app backed by a PostgreSQL database and served on a domain, and waits until both run.
//
//   UNCLOUD_URL=http://127.0.0.1:8080 UNCLOUD_TOKEN=… node create-web-app.mjs [project] [domain]
//
// The project is created when it does not exist yet.
import { createUncloudClient } from '@uncloud/sdk';

const projectName = process.argv[2] ?? 'shop';
const domain = process.argv[3] ?? `${projectName}.example.com`;
const client = createUncloudClient(); // reads UNCLOUD_URL and UNCLOUD_TOKEN

/**
 * The caller's project with that name, or a new one.
 * @param {string} name
 */
const findOrCreateProject = async (name) => {
  for await (const project of client.paginate(client.projects.list, { name })) {
    if (project.name === name) return project;
  }
  return client.projects.create.mutate({ name, description: 'a web app and its database' });
};

const project = await findOrCreateProject(projectName);
const projectId = project.id;
console.log(`project ${project.name} (${projectId})`);

const database = await client.databases.create.mutate({
  projectId,
  name: 'main',
  engine: 'postgres',
  version: '17',
  size: 'db-s-1vcpu-1gb',
});
console.log(`database ${database.name} (${database.id}) created, waiting for it to run…`);
const running = await client.waitFor(client.databases, { projectId, id: database.id }, 'active');
const connection = running.connection;
if (!connection) throw new Error(`database ${database.id} is active but has no address yet`);

// Where to connect goes into the app's environment; the password does not, because Uncloud stores
// the environment as part of the app. The app fetches it from your secret store (or, for a demo,
// `uncloud databases.credentials`) at start.
const app = await client.apps.create.mutate({
  projectId,
  name: 'web',
  image: 'nginx:1.27',
  port: 80,
  replicas: 2,
  domains: [domain],
  env: {
    DATABASE_HOST: connection.host,
    DATABASE_PORT: String(connection.port),
    DATABASE_NAME: connection.database,
    DATABASE_USER: connection.user,
  },
});
console.log(`app ${app.name} (${app.id}) created, waiting for its replicas…`);
const ready = await client.waitFor(
  client.apps,
  { projectId, id: app.id },
  (a) => a.state === 'active' && a.readyReplicas === a.replicas,
  { description: `to have all ${app.replicas} replicas ready` },
);

console.log(`app ${ready.name} is up: ${ready.url ?? `http://${domain}`} (${ready.readyReplicas} replicas)`);
console.log(
  `database ${running.name}: ${connection.user}@${connection.host}:${connection.port}/${connection.database}`,
);
