export { newSshPublicKey, sshPublicKeys } from './fixtures.ts';
export { waitFor } from './wait-for.ts';
