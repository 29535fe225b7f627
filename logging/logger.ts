/**
 * @packageDocumentation
 * Structured logs: exactly one JSON line per event, on stdout.
 *
 * @remarks Logs carry event names, ids that are already pseudonymous (hashed where they come from a
 * channel) and error names, never message text, answers, comments or names: the fact that someone
 * talks to this bot can itself be sensitive. A stack trace goes inside the `errorStack` field, so a
 * log collector never splits one event over many lines; `captureConsole` does the same for what
 * libraries (botbuilder) write with `console.error` and `console.warn`.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
/** Enough frames to find the place, short enough to keep a line readable. */
const MAX_STACK_CHARS = 4000;
const MAX_CONSOLE_TEXT = 300;

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line + '\n')): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>, event: string, fields: LogFields = {}): void => {
    if (ORDER[at] < ORDER[level]) return;
    // JSON.stringify escapes every newline inside a value: one event, one line.
    write(JSON.stringify({ time: new Date().toISOString(), level: at, event, ...fields }));
  };
  return {
    debug: (event, fields) => emit('debug', event, fields),
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}

/**
 * Error details that are safe to log: the kind of error, its code and its stack (frames only: the
 * first line, which may quote user input, is left out), never its user-facing payload.
 */
export function describeError(error: unknown): LogFields {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    const frames = (error.stack ?? '')
      .split('\n')
      .slice(1)
      .map((line) => line.trim())
      .filter((line) => line.startsWith('at '));
    return {
      errorName: error.name,
      errorCode: typeof code === 'string' || typeof code === 'number' ? String(code) : undefined,
      errorAt: frames.slice(0, 2).join(' | '),
      errorStack: frames.join('\n').slice(0, MAX_STACK_CHARS),
    };
  }
  return { errorName: typeof error };
}

/**
 * Routes `console.error` and `console.warn` (botbuilder writes its errors and warnings there, with
 * multi-line stacks) into the logger as one JSON line each. Returns a function that undoes it.
 */
export function captureConsole(log: Logger, target: Pick<Console, 'error' | 'warn'> = console): () => void {
  const original = { error: target.error, warn: target.warn };
  const describe = (args: unknown[]): LogFields => {
    const error = args.find((arg): arg is Error => arg instanceof Error);
    if (error) return describeError(error);
    // Library messages are fixed sentences; cut them short in case one quotes input.
    const text = args.map((arg) => (typeof arg === 'string' ? arg : typeof arg)).join(' ');
    return { text: text.split('\n')[0].slice(0, MAX_CONSOLE_TEXT) };
  };
  target.error = (...args: unknown[]) => log.error('library_error', describe(args));
  target.warn = (...args: unknown[]) => log.warn('library_warning', describe(args));
  return () => {
    target.error = original.error;
    target.warn = original.warn;
  };
}
