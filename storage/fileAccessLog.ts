import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AccessEntry, AccessLog, AccessLogFilter, redactEntry } from '../services/access/accessLog';
import { makePrivateDirectory, PRIVATE_FILE_MODE } from './jsonFileStore';

/** Where the bot and the admin tool keep the access log. */
export function accessLogDir(dataDir: string): string {
  return path.join(dataDir, 'access-log');
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MONTH_FILE = /^(\d{4})-(\d{2})\.jsonl$/;

/**
 * The access log as JSON lines, one file per month: `<DATA_DIR>/access-log/YYYY-MM.jsonl`.
 *
 * @remarks Appends are queued in this process and use `O_APPEND`, so lines of the bot and of an
 * admin command do not mix within a line. Retention works per month file: a file goes once the
 * last day of its month is more than `retentionDays` ago (0 keeps everything), checked at most once
 * a day when something is recorded. Redaction rewrites a file through a temporary file and a rename.
 * Files are 0600 in a 0700 folder, like the records.
 */
export class FileAccessLog implements AccessLog {
  private queue: Promise<unknown> = Promise.resolve();
  private lastPrunedDay = '';

  constructor(
    readonly dir: string,
    private readonly retentionDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(entry: AccessEntry): Promise<void> {
    return this.enqueue(async () => {
      await makePrivateDirectory(this.dir);
      await fs.appendFile(path.join(this.dir, `${entry.at.slice(0, 7)}.jsonl`), `${JSON.stringify(entry)}\n`, {
        flag: 'a',
        mode: PRIVATE_FILE_MODE,
      });
      await this.pruneOncePerDay();
    });
  }

  async *read(filter: AccessLogFilter): AsyncIterable<AccessEntry> {
    for (const file of await this.monthFiles()) {
      for (const entry of await readEntries(file)) {
        if (filter.roundId === undefined || entry.roundId === filter.roundId) yield entry;
      }
    }
  }

  redact(personIds: ReadonlySet<string>, roundIds: ReadonlySet<string>): Promise<number> {
    return this.enqueue(async () => {
      let changed = 0;
      for (const file of await this.monthFiles()) {
        const entries = await readEntries(file);
        const redacted = entries.map((entry) => redactEntry(entry, personIds, roundIds));
        const count = redacted.filter((entry, index) => entry !== entries[index]).length;
        if (count === 0) continue;
        changed += count;
        const temporary = `${file}.${process.pid}.tmp`;
        await fs.writeFile(temporary, redacted.map((entry) => `${JSON.stringify(entry)}\n`).join(''), { mode: PRIVATE_FILE_MODE });
        await fs.rename(temporary, file);
      }
      return changed;
    });
  }

  private async pruneOncePerDay(): Promise<void> {
    const today = this.now().toISOString().slice(0, 10);
    if (this.retentionDays <= 0 || this.lastPrunedDay === today) return;
    this.lastPrunedDay = today;
    const limit = this.now().getTime() - this.retentionDays * DAY_MS;
    for (const file of await this.monthFiles()) {
      const match = MONTH_FILE.exec(path.basename(file));
      if (!match) continue;
      const endOfMonth = Date.UTC(Number(match[1]), Number(match[2]), 1) - 1;
      if (endOfMonth < limit) await fs.rm(file, { force: true });
    }
  }

  private async monthFiles(): Promise<string[]> {
    try {
      const names = await fs.readdir(this.dir);
      return names
        .filter((name) => MONTH_FILE.test(name))
        .sort()
        .map((name) => path.join(this.dir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private enqueue<R>(task: () => Promise<R>): Promise<R> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Lines that do not parse (a line cut by a crash) are skipped, never fatal. */
async function readEntries(file: string): Promise<AccessEntry[]> {
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const entries: AccessEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as AccessEntry);
    } catch {
      /* a partial line: skip it */
    }
  }
  return entries;
}
