import pkg from '../package.json' with { type: 'json' };

/** The CLI's own version, as published. */
export const version = pkg.version;
