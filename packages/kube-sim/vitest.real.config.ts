import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

// The real tier (`npm run test:real`): the suites that rely only on plain Kubernetes API behaviour,
// against one kube-real control plane that the globalSetup starts for the run and stops after it.
// The same files run on a simulated cluster in `npm test`; what needs the simulator's powers
// (faults, controllers, persistence) is in files left out here.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: [
        'test/gateway.test.ts',
        'test/kubectl.test.ts',
        'test/crud.test.ts',
        'test/list-watch.test.ts',
        'test/endpoints-jobs.test.ts',
        'test/patch.test.ts',
        'test/discovery.test.ts',
        'test/network.test.ts',
        'test/schemas.test.ts',
        'test/scheduling.test.ts',
        'test/deletion.test.ts',
        'test/admission.test.ts',
        'test/pod-status.test.ts',
        'test/deployments.test.ts',
      ],
      globalSetup: ['@uncloud/kube-real/vitest-setup'],
    },
  }),
);
