import { vitestConfig } from '@uncloud/vitest-config';

// The real tier's registry suite: a real CNCF distribution registry (tooling/registry-real) that
// trusts Uncloud's token server. It needs no Kubernetes, so it runs apart from the kube-real plane.
export default vitestConfig({
  test: {
    include: ['test/registry.real.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
