/**
 * The dependency rules of docs/architecture.md, enforced: `npm test` runs
 * `depcruise --config .dependency-cruiser.cjs apps packages tooling` and a violation fails the suite
 * with the rule's comment as its reason. Paths are those of the resolved files, so a workspace
 * package reached through `@uncloud/…` counts as its source directory.
 */
/**
 * A workspace package's files, whether cruised directly (`packages/db/…`) or reached through its
 * name (`@uncloud/db` resolves to `node_modules/@uncloud/db/…`, symlinks preserved so that npm's
 * declared-or-not check applies to workspace packages too).
 */
const pkg = (dir, sub = '') => `^(packages/${dir}|node_modules/@uncloud/${dir})/${sub}`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'db-not-contract',
      comment:
        'The intent store is below the API contract: packages/db may use the SDK schemas (types, domain errors) but never the contract (routers, tRPC).',
      severity: 'error',
      from: { path: pkg('db') },
      to: { path: pkg('sdk', 'src/contract/') },
    },
    {
      name: 'schemas-not-contract',
      comment:
        'Schemas are the bottom layer of the SDK: the contract builds on them, never the other way round (schemas must load without tRPC).',
      severity: 'error',
      from: { path: '^packages/sdk/src/schemas/' },
      to: { path: pkg('sdk', 'src/contract/') },
    },
    {
      name: 'only-api-wiring-and-tests-reach-the-simulator',
      comment:
        'The simulated cluster is for the embedded default and tests. Product code reaches Kubernetes through @uncloud/kube; only the API cluster wiring (apps/api/src/cluster.ts), the test stack and tests may import @uncloud/kube-sim.',
      severity: 'error',
      from: {
        pathNot: [
          '^packages/kube-sim/',
          '^apps/api/src/cluster\\.ts$',
          '^apps/api/src/testing/',
          '\\.test\\.tsx?$',
          '/test/',
          '^tooling/bench/',
        ],
      },
      to: { path: pkg('kube-sim') },
    },
    {
      name: 'sync-not-simulator',
      comment:
        'The sync engine must work against any Kubernetes API server; it may not know the simulated cluster exists, not even in its tests.',
      severity: 'error',
      from: { path: pkg('sync') },
      to: { path: pkg('kube-sim') },
    },
    {
      name: 'kube-not-simulator',
      comment:
        'Manifests and the gateway are pure mappings and the one door to a real API server; the simulator depends on them, never the reverse.',
      severity: 'error',
      from: { path: pkg('kube') },
      to: { path: pkg('kube-sim') },
    },
    {
      name: 'web-only-through-the-sdk',
      comment:
        'The dashboard talks to the API through the SDK contract only; it may not import the store, the sync engine, the Kubernetes layer or the server.',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: [pkg('(db|sync|kube|kube-sim|api)'), '^apps/api/'] },
    },
    {
      name: 'sdk-stands-alone',
      comment:
        'The SDK is published: it may depend on nothing else in the workspace (users install it alone).',
      severity: 'error',
      from: { path: '^packages/sdk/src/', pathNot: '\\.test\\.ts$' },
      to: { path: ['^packages/(?!sdk/)', '^apps/', '^tooling/', '^node_modules/@uncloud/(?!sdk/)'] },
    },
    {
      name: 'cli-only-through-the-sdk',
      comment:
        "The CLI is published and uses the API as a stranger would: through @uncloud/sdk's public entry only, never its contract (routers), the server, the store or the cluster packages. Its scripts (which read the contract into the manifest) and tests may.",
      severity: 'error',
      from: { path: '^apps/cli/src/', pathNot: '\\.test\\.ts$' },
      to: {
        path: [
          '^packages/',
          '^apps/(?!cli/)',
          '^tooling/',
          '^node_modules/@uncloud/(?!sdk/)',
          pkg('sdk', '(?!src/index\\.ts$|package\\.json$)'),
        ],
      },
    },
    {
      name: 'no-undeclared-dependencies',
      comment:
        "An npm package imported here is not in this workspace package's package.json; it only resolves because npm hoisted it. Declare it (dependencies for product code, devDependencies for tests and tooling).",
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-dev-dependencies-in-product-code',
      comment:
        'Product code (src/, not tests) imports a devDependency: it would be missing in a production install. Move it to dependencies.',
      severity: 'error',
      from: {
        path: '^(apps|packages)/[^/]+/src/',
        pathNot: ['\\.test\\.tsx?$', '/testing/', '/test/', '/test-support/', '^apps/web/'],
      },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'This import does not resolve to a file: a typo, a missing export or a package that is not installed.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: {
      path: [
        '^(apps|packages|tooling)/[^/]+/dist/',
        '\\.turbo/',
        '^tooling/kube-real/(bin|crds|crdgen)/',
        '^apps/web/e2e/screenshots/',
      ],
    },
    tsPreCompilationDeps: true,
    preserveSymlinks: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@uncloud/source', 'import', 'types', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    combinedDependencies: false,
    builtInModules: { add: ['bun:test'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
