import base from '@uncloud/eslint-config';

// The fixtures are compiled against the packed SDK in a scratch directory, not in the workspace;
// one of them must not compile.
export default [{ ignores: ['fixtures/**'] }, ...base];
