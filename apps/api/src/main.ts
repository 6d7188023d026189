import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { type RunningServer, startServer } from './server.ts';

// The only entry point: reads the environment, opens resources, listens, and shuts down cleanly.
const main = async () => {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const started: { server?: RunningServer } = {};
  // The embedded cluster runs in a thread of its own; if it dies, Uncloud stops too, loudly, rather
  // than serve on without a cluster: a supervisor (or the person at the terminal) starts it again,
  // and the cluster's objects are in its data file.
  const simulatorExited = (error: Error) => {
    logger.fatal({ err: error }, 'the simulated cluster stopped unexpectedly; stopping Uncloud');
    const stopped = started.server ? started.server.close() : Promise.resolve();
    stopped.finally(() => process.exit(1)).catch(() => undefined);
  };
  const server = await startServer(
    {
      ...config,
      cluster: {
        mode: config.cluster.mode,
        chosenBy: config.cluster.chosenBy,
        orphanMaxShare: config.orphanMaxShare,
        leaseNamespace: config.leaseNamespace,
        ...(config.lbHealthChecks ? { healthChecks: config.lbHealthChecks } : {}),
        kubeconfig: config.kubeconfig,
        dataDir: config.dataDir,
        syncIntervalMs: config.syncIntervalMs,
        usageIntervalMs: config.usageIntervalMs,
        // Its own event loop: the cluster's work never delays the API's answers.
        simulator: 'separate',
        onSimulatorExit: simulatorExited,
      },
    },
    logger,
  );
  logger.info({ url: server.url, database: config.databasePath }, 'Uncloud is listening');
  if (server.bootstrap.generatedToken) {
    // Shown once: only its hash is stored.
    process.stdout.write(
      `\n  Uncloud is ready. Open ${server.url} and sign in with the admin token:\n\n    ${server.bootstrap.generatedToken}\n\n` +
        '  It is shown only this once; keep it somewhere safe (or set UNCLOUD_ADMIN_TOKEN).\n\n',
    );
  }

  started.server = server;
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
};

main().catch((error: unknown) => {
  // A configuration the server cannot start with (a cluster whose credentials are missing): its
  // message says what is missing and how to choose; no stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
