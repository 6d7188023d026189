import { setMaxListeners } from 'node:events';
import { read } from 'read';
import { runCli } from './cli.ts';

// The executable: the only place that touches the real process (argv, streams, environment, exit).
const controller = new AbortController();
// Every request of a wait links its own deadline to this one signal; in a process that lives one
// command, many listeners are expected, not a leak worth a warning on the user's terminal.
setMaxListeners(0, controller.signal);
process.once('SIGINT', () => controller.abort(new Error('interrupted')));
// `uncloud droplet list | head -1`: the reader has gone, which is no failure of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

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
  askSecret: process.stdin.isTTY
    ? (prompt) => read({ prompt, silent: true, replace: '', output: process.stderr })
    : undefined,
});
