// Starts the simulated cluster on its own and prints where its kubeconfig is.
import { parseArgs } from 'node:util';
import { createSimCluster } from './cluster.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    profile: { type: 'string', default: 'full' },
    delay: { type: 'string', default: '300' },
    kubeconfig: { type: 'string' },
    data: { type: 'string' },
    nodes: { type: 'string' },
    'node-cpu': { type: 'string' },
    'node-memory': { type: 'string' },
    'node-pods': { type: 'string' },
  },
});

const sim = createSimCluster({
  port: Number(values.port),
  profile: values.profile === 'bare' ? 'bare' : 'full',
  controllerDelayMs: Number(values.delay),
  kubeconfigPath: values.kubeconfig,
  dataFile: values.data,
  nodes: {
    ...(values.nodes !== undefined ? { count: Number(values.nodes) } : {}),
    ...(values['node-cpu'] !== undefined ? { cpu: values['node-cpu'] } : {}),
    ...(values['node-memory'] !== undefined ? { memory: values['node-memory'] } : {}),
    ...(values['node-pods'] !== undefined ? { pods: Number(values['node-pods']) } : {}),
  },
});
const info = await sim.start();
process.stdout.write(
  `simulated cluster listening on ${info.url}\nkubeconfig: ${info.kubeconfigPath}\n  export KUBECONFIG=${info.kubeconfigPath}\n`,
);
if (info.objectStore)
  process.stdout.write(
    `object store (S3, path-style) at ${info.objectStore.endpoint}, region ${info.objectStore.region}\n` +
      `  administrator: AWS_ACCESS_KEY_ID=${info.objectStore.accessKeyId} AWS_SECRET_ACCESS_KEY=${info.objectStore.secretAccessKey}\n`,
  );

const shutdown = () => {
  sim.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
