/** How procedure paths become words on the command line: `sshKeys.resetPassword` → `ssh-key reset-password`. */

export const kebab = (camel: string) =>
  camel
    // Units are one word: `sizeGiB` → `size-gib`, `memoryMiB` → `memory-mib`.
    .replace(/([KMGT])iB/g, (_, p: string) => `${p}ib`)
    .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The resource noun of a router: kebab-case and singular (`sshKeys` → `ssh-key`, `usage` → `usage`). */
export const nounOf = (group: string) => {
  const words = kebab(group);
  return /[^s]s$/.test(words) ? words.slice(0, -1) : words;
};

/** The verb of a procedure: `powerOff` → `power-off`. */
export const verbOf = kebab;

/** Shorter names people type, beside the noun's plural. */
const extraAliases: Record<string, string[]> = {
  database: ['db'],
  'ssh-key': ['key'],
};

export const aliasesOf = (group: string) => {
  const noun = nounOf(group);
  const plural = kebab(group);
  return [...(plural === noun ? [] : [plural]), ...(extraAliases[noun] ?? [])];
};
