export { startServer, type RunningServer, type ServerOptions } from './server.ts';
export { loadConfig, type Config } from './config.ts';
export { createLogger, type Logger } from './logger.ts';
export type { IntentChange, IntentEvents } from './services/deps.ts';
