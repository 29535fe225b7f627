/**
 * `npm run --silent nlu:interpret -- --locale nl < replies.txt`
 *
 * Reads replies from stdin, one per line, and writes exactly one JSON line per input line to
 * stdout: `{"text": ..., "kind": ..., "value": 1-5 | null, "confidence": 0..1}`. Empty lines get
 * a line too (kind "unknown"). Nothing else goes to stdout; usage errors go to stderr.
 */
import { createInterface } from 'node:readline';
import { ReplyInterpreter } from '../services/replies/replyInterpreter';
import { isLocale, type Locale } from '../services/vocabulary';

export interface ReplyLine {
  text: string;
  kind: string;
  value: number | null;
  confidence: number;
}

/** The JSON line for one input line (a trailing CR from Windows line ends is dropped). */
export function interpretLine(interpreter: ReplyInterpreter, line: string, locale: Locale): string {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  let result: ReplyLine;
  try {
    const reading = interpreter.interpret(text, locale);
    result = { text: reading.text, kind: reading.kind, value: reading.value, confidence: reading.confidence };
  } catch (error) {
    // One bad line must not break the one-line-per-input contract.
    process.stderr.write(`nlu:interpret: ${error instanceof Error ? error.message : String(error)}\n`);
    result = { text, kind: 'unknown', value: null, confidence: 0 };
  }
  return JSON.stringify(result);
}

/** `--locale nl` / `--locale=en`; default nl. Returns null for an unknown locale. */
export function parseLocale(args: readonly string[]): Locale | null {
  let value: string = 'nl';
  args.forEach((arg, i) => {
    if (arg === '--locale' && args[i + 1] !== undefined) value = args[i + 1];
    else if (arg.startsWith('--locale=')) value = arg.slice('--locale='.length);
  });
  return isLocale(value) ? value : null;
}

async function main(): Promise<void> {
  const locale = parseLocale(process.argv.slice(2));
  if (!locale) {
    process.stderr.write('usage: nlu:interpret -- --locale nl|en  (replies on stdin, one per line)\n');
    process.exitCode = 2;
    return;
  }
  const interpreter = new ReplyInterpreter();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let buffer: string[] = [];
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const chunk = `${buffer.join('\n')}\n`;
    buffer = [];
    if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  };
  for await (const line of lines) {
    buffer.push(interpretLine(interpreter, line, locale));
    if (buffer.length >= 256) await flush();
  }
  await flush();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`nlu:interpret: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
