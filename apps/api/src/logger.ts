import { pino, type Logger } from 'pino';

export type { Logger };

/** The root logger: readable in a terminal, JSON lines everywhere else. Secrets are redacted. */
export const createLogger = (level: string, pretty = process.stdout.isTTY === true): Logger =>
  pino({
    level,
    redact: ['token', '*.token', 'req.headers.authorization', 'adminToken'],
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  });
