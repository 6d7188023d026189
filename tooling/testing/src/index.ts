export { startStack, type Stack } from './stack.ts';
export { waitFor } from './wait-for.ts';
