import { vitestConfig } from '@uncloud/vitest-config';

// Unit tests of the pure parts (normalizers, compare, report); the clusters run only in `fidelity`.
export default vitestConfig();
