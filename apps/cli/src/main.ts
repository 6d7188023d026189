import { runCli } from './cli.ts';

// The executable: the only place that touches the real process (argv, streams, environment, exit).
const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));

const readStdin = async () => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin,
  env: process.env,
  signal: controller.signal,
});
