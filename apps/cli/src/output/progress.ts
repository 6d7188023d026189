/** Where progress goes: the terminal's error stream, so that stdout holds only the result. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

export interface Progress {
  /** The state seen now; printed when it differs from the last one. */
  update(state: string): void;
  done(final: string): void;
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A progress display for `--wait`: on a terminal, one line redrawn in place with a spinner and the
 * elapsed time; otherwise (a pipe, a CI log) one plain line per change of state.
 */
export const createProgress = (stream: ProgressStream, subject: string, interactive: boolean): Progress => {
  const started = Date.now();
  let last: string | undefined;
  let frame = 0;
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
  const draw = () => {
    stream.write(
      `\r\x1b[K${frames[frame++ % frames.length]} ${subject}: ${last ?? 'waiting'} (${elapsed()})`,
    );
  };
  const timer = interactive ? setInterval(draw, 100) : undefined;
  timer?.unref();
  return {
    update(state) {
      if (state === last) return;
      last = state;
      if (interactive) draw();
      else stream.write(`${subject}: ${state}\n`);
    },
    done(final) {
      if (timer) clearInterval(timer);
      if (interactive) stream.write(`\r\x1b[K${subject}: ${final} (${elapsed()})\n`);
      else stream.write(`${subject}: ${final === last ? 'done' : final} after ${elapsed()}\n`);
    },
  };
};
