/**
 * @packageDocumentation
 * Structured, one-line JSON logs.
 *
 * @remarks Logs carry event names, ids that are already pseudonymous (hashed where they come from a
 * channel) and error names, never message text, answers, comments or names: the fact that someone
 * talks to this bot can itself be sensitive.
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

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line + '\n')): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>, event: string, fields: LogFields = {}): void => {
    if (ORDER[at] < ORDER[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: at, event, ...fields }));
  };
  return {
    debug: (event, fields) => emit('debug', event, fields),
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}

/** Error details that are safe to log: the kind of error and where, never its user-facing payload. */
export function describeError(error: unknown): LogFields {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    const frame = (error.stack ?? '')
      .split('\n')
      .slice(1, 3)
      .map((line) => line.trim())
      .join(' | ');
    return {
      errorName: error.name,
      errorCode: typeof code === 'string' || typeof code === 'number' ? String(code) : undefined,
      errorAt: frame,
    };
  }
  return { errorName: typeof error };
}
