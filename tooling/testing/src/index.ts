export { newSshPublicKey, sshPublicKeys } from './fixtures.ts';
export { waitFor } from './wait-for.ts';
export { run, runOk, type Run } from './run-command.ts';
export { componentFiles, sha256, startManifestServer, type ManifestServer } from './component-manifests.ts';
