/**
 * Text that only a type checker should read: zod's default messages, id formats, placeholders. A
 * page or form showing any of these to a person has let a schema speak for itself.
 */
export const rawSchemaPatterns: readonly RegExp[] = [
  /Invalid input/i,
  /expected \w+, received \w+/,
  /\bToo (small|big)\b/,
  /\bInvalid (key|option|element|union|type|string|value|format)\b/,
  /Unrecognized keys?/,
  /\((?:usr|proj|dpl|vol|app|db|fw|sk|tok|act|aud)_…\)/,
  /is not a droplet or app id/,
  /\bNaN\b/,
  /\bundefined\b/,
  /\[object Object\]/,
  /[<>]=\s?\d/,
  /no procedure /,
];

/** The raw fragments in `text`, for an assertion that names what slipped through. */
export const rawSchemaText = (text: string) =>
  rawSchemaPatterns.flatMap((pattern) => {
    const m = pattern.exec(text);
    return m ? [text.slice(Math.max(0, m.index - 60), m.index + m[0].length + 40)] : [];
  });
