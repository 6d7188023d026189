import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A server the benchmark loads, in a process of its own: the load generator (autocannon, the SDK's
 * creates) never shares a loop or a core's time slices with the server it measures, and a baseline
 * never shares one with the server it is compared to.
 */
export interface Child<Ready> {
  ready: Ready;
  pid: number;
  /** Asks the child to do `op` and resolves with its answer. */
  call<T>(op: string, args?: unknown): Promise<T>;
  /** Stops the child and waits for it to exit. */
  close(): Promise<void>;
}

interface Reply {
  id?: number;
  ready?: unknown;
  result?: unknown;
  error?: string;
}

/** Starts `src/<entry>.ts` in a new Node.js process (TypeScript through tsx) with `args`. */
export const startChild = async <Ready>(entry: string, args: unknown): Promise<Child<Ready>> => {
  const file = fileURLToPath(new URL(`./${entry}.ts`, import.meta.url));
  const child: ChildProcess = fork(file, [JSON.stringify(args)], {
    // BENCH_CPU_PROF=<dir>: each child writes a CPU profile there when it exits (node --cpu-prof).
    execArgv: [
      '--import',
      'tsx',
      '--conditions=@uncloud/source',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 0;
  let exited: Error | undefined;
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.on('message', (message: Reply) => {
      if (message.ready !== undefined) return resolve(message.ready as Ready);
      if (message.error !== undefined && message.id === undefined) return reject(new Error(message.error));
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id!);
      if (message.error !== undefined) waiting.reject(new Error(`${entry}: ${message.error}`));
      else waiting.resolve(message.result);
    });
    child.once('exit', (code, signal) => {
      exited = new Error(`${entry} exited (${signal ?? `code ${code}`})`);
      reject(exited);
      for (const waiting of pending.values()) waiting.reject(exited);
      pending.clear();
    });
  });
  const exit = new Promise<void>((resolve) => {
    if (exited) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    ready,
    pid: child.pid!,
    call: <T>(op: string, callArgs?: unknown) =>
      new Promise<T>((resolve, reject) => {
        if (exited) return reject(exited);
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, op, args: callArgs });
      }),
    close: async () => {
      if (!exited) child.send({ op: 'close' });
      const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exit;
      clearTimeout(deadline);
    },
  };
};

/** The child's side: announces `ready`, then answers each op with its handler, until `close`. */
export const serveParent = <Ready>(
  ready: Ready,
  handlers: Record<string, (args: unknown) => unknown>,
  close: () => Promise<void>,
) => {
  process.on('message', (message: { id?: number; op: string; args?: unknown }) => {
    if (message.op === 'close') {
      void close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
      return;
    }
    const handler = handlers[message.op];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`no op ${message.op}`);
        return handler(message.args);
      })
      .then(
        (result) => process.send!({ id: message.id, result }),
        (error: unknown) => process.send!({ id: message.id, error: String((error as Error).stack ?? error) }),
      );
  });
  // The parent went away without a close (it crashed or was stopped): do not outlive it.
  process.on('disconnect', () => void close().finally(() => process.exit(0)));
  process.send!({ ready });
};

/** The child failed before it was ready: tell the parent why, then exit. */
export const failToParent = (error: unknown) => {
  process.send?.({ error: String((error as Error).stack ?? error) });
  process.exitCode = 1;
  process.disconnect?.();
};

/** The JSON argument a child was started with. */
export const childArgs = <T>(): T => JSON.parse(process.argv[2] ?? '{}') as T;
