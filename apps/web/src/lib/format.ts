import { dropletImages } from '@uncloud/sdk';

/** A droplet image by its display name ("Ubuntu 24.04 LTS"); anything else (an app's image) as it is. */
export const imageName = (image: string) => {
  const known = dropletImages.find((i) => i.slug === image);
  return known ? `${known.distribution} ${known.version}` : image;
};

export const formatMemory = (mib: number) => (mib >= 1024 ? `${+(mib / 1024).toFixed(1)} GiB` : `${mib} MiB`);

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 minutes ago", "yesterday", or "just now". */
export const formatAge = (iso: string, now = Date.now()) => {
  const diff = new Date(iso).getTime() - now;
  for (const [unit, ms] of units) {
    if (Math.abs(diff) >= ms) return rtf.format(Math.round(diff / ms), unit);
  }
  return 'just now';
};

/** "a, b c" → ["a", "b", "c"]: lists typed into one text field. */
export const splitList = (text: string) => text.split(/[\s,]+/).filter((s) => s.length > 0);

/** An empty number box is "no number", not zero, so that the schema reports it as missing. */
export const numberOrUndefined = (text: string) => (text.trim() === '' ? undefined : Number(text));

/** `KEY=value` lines → an object; a line without `=` becomes a key with an empty value. */
export const parseEnv = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && !line.startsWith('#'))
      .map((line) => {
        const eq = line.indexOf('=');
        return eq === -1 ? [line, ''] : [line.slice(0, eq).trim(), line.slice(eq + 1)];
      }),
  );

/**
 * An object → `KEY=value` lines, the inverse of `parseEnv`. Values withheld from a viewer (`null`)
 * are left out: there is nothing true to show, and an empty value would read as one.
 */
export const formatEnv = (env: Record<string, string | null>) =>
  Object.entries(env)
    .flatMap(([key, value]) => (value === null ? [] : [`${key}=${value}`]))
    .join('\n');
