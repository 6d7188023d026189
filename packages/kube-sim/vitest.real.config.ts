import { integrationTimeouts, vitestConfig } from '@uncloud/vitest-config';

// The real tier (`npm run test:real`): the suites that rely only on plain Kubernetes API behaviour,
// against one kube-real control plane that the globalSetup starts for the run and stops after it.
// The same files run on a simulated cluster in `npm test`; what needs the simulator's powers
// (faults, controllers, persistence) is in files left out here.
export default vitestConfig({
  test: {
    ...integrationTimeouts,
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
      // The simulated object store with a real S3 server behind it (tooling/s3-real).
      'test/**/*.real.test.ts',
    ],
    globalSetup: ['@uncloud/kube-real/vitest-setup'],
  },
});
