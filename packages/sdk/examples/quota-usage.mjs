// @ts-check
// Reports, for every project you can see, how much of its quota is in use.
//
//   UNCLOUD_URL=http://127.0.0.1:8080 UNCLOUD_TOKEN=… node quota-usage.mjs [--json]
import { createUncloudClient } from '@uncloud/sdk';

const client = createUncloudClient(); // reads UNCLOUD_URL and UNCLOUD_TOKEN
const limits = /** @type {const} */ (['droplets', 'vcpus', 'memoryMiB', 'volumeGiB', 'apps', 'databases']);

const report = [];
for await (const project of client.paginate(client.projects.list, {})) {
  const quota = await client.quotas.get.query({ projectId: project.id });
  report.push({
    project: project.name,
    usage: Object.fromEntries(
      limits.map((limit) => [limit, { used: quota.usage[limit], limit: quota[limit] }]),
    ),
  });
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  for (const { project, usage } of report) {
    console.log(project);
    for (const [name, { used, limit }] of Object.entries(usage)) {
      const share = limit === 0 ? '—' : `${Math.round((used / limit) * 100)}%`;
      console.log(`  ${name.padEnd(10)} ${String(used).padStart(7)} / ${String(limit).padEnd(7)} ${share}`);
    }
  }
}
