export { default } from '@uncloud/eslint-config';
