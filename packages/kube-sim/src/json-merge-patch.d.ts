// json-merge-patch ships no types: the one function used here.
declare module 'json-merge-patch' {
  const jsonMergePatch: { apply(target: unknown, patch: unknown): unknown };
  export default jsonMergePatch;
}
