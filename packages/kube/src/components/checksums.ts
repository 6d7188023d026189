// Written by `npm run checksums -w @uncloud/kube -- --write` (packages/kube/scripts/component-checksums.ts),
// which reads each file from the Go module zip of its tag. Edit by running it, not by hand.

/** SHA-256 of upstream files at a tag, by the raw.githubusercontent.com URL that serves them. */
export const upstreamChecksums: Record<string, string> = {
  'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.27.1/releases/cnpg-1.27.1.yaml':
    '0c60c2682eeacf5339d87368a87f4a8ff2e46b70a4f85dc7783cb1bb9cc5b9d7',
  'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.28.0/releases/cnpg-1.28.0.yaml':
    'b7f53dd5353ef2e0d8c67006645ab632d68f961053c220449337c8ea5751735e',
  'https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/v0.80.1/bundle.yaml':
    '740feb1f5efa5ff835bfa6e098397789e6f3435139c938aedf402aa2b25f6c8c',
  'https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/v0.85.0/bundle.yaml':
    '602f3a0c4f91952cfbbaedeed6542a8231134537191965275b9e2c2e05aeab72',
};
