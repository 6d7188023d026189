import base from '@uncloud/eslint-config';

export default [
  ...base,
  {
    // The examples are plain Node scripts.
    files: ['examples/**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
];
