/**
 * @packageDocumentation
 * A write-ahead journal for the file store's turn writes: a turn's records are durable once one
 * line each is in the journal, so the bot may confirm an answer after one disk flush instead of
 * waiting for every record file's own three (file, rename, folder).
 *
 * @remarks
 * - **Commit.** Every change made inside a turn is one JSON line: the record file, the file's
 *   stamp before the change (`base`), and the new record (`null` for a deletion). Lines go out
 *   through a descriptor opened with `O_DSYNC`, so a write returns once its lines are on the disk.
 *   A write starts once the callbacks under way in this turn of the event loop are done, so the
 *   lines one bot turn makes in one go (its answer, then its state) share it; lines that arrive
 *   while a write is under way go out together in the next one (group commit): concurrent turns
 *   share flushes.
 * - **Write-behind.** Once its line is durable, the record is kept: this process reads it from the
 *   store's cache, and its file is written at the next checkpoint, without fsyncs (temporary file,
 *   rename), once per record however often it changed since, with the last change's text. The
 *   file's new stamp is noted in the generation's `.done` file. That note is not flushed: it only
 *   helps recovery tell our writes from another process's.
 * - **Checkpoint.** About once a second a new generation starts, the store writes the files of
 *   every record journalled so far (`useWriteBehind`), those of the old generation are fsynced once
 *   each with their folders, and the old generation's files are removed. A clean stop does the same
 *   for the last generation.
 * - **Recovery** (`open`, before the store serves anything) replays each generation a crash left
 *   behind. A record is written from the journal only when its file is still ours: as it was
 *   before one of our journalled changes, holding one of our journalled values, or torn by the
 *   crash. A file that another process changed after our last write (an admin command's erasure,
 *   say) stays as that process left it.
 * - One bot process per data folder, as for the whole embedded store. Admin commands write record
 *   files directly and durably; they do not use the journal, and they read a record file as the
 *   last checkpoint left it. When one changes a record whose journalled changes its file does not
 *   have yet, its write wins, while the bot runs as at recovery: the store drops those changes.
 */
import fsSync, { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  checkRecordText,
  DurableJsonFile,
  fileStamp,
  type JournalCommit,
  makePrivateDirectory,
  PRIVATE_FILE_MODE,
  syncDirectory,
  type TurnJournal,
} from './jsonFileStore';

/** One journalled change. `file` is relative to the store's folder. */
interface JournalLine {
  seq: number;
  file: string;
  base: string;
  record: unknown;
}

/** What recovery did: records written from the journal, and lines left alone because another process changed the file since. */
export interface JournalRecovery {
  generations: number;
  replayed: number;
  superseded: number;
}

interface Generation {
  name: string;
  descriptor: number;
  doneDescriptor: number;
  /** Entries whose record file is not written behind yet; `drained` is called when it reaches 0. */
  outstanding: number;
  drained: (() => void) | null;
  /** Record files (absolute) written behind in this generation. */
  written: Set<string>;
  /** A write-behind failed: the generation stays on disk for recovery at the next start. */
  failed: boolean;
}

interface QueuedLine {
  generation: Generation;
  text: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const JOURNAL_DIR = '.journal';
const CHECKPOINT_EVERY_MS = 1000;

export class WriteAheadJournal implements TurnJournal {
  private current: Generation;
  private sequence = 0;
  private generationCount = 0;
  private queued: QueuedLine[] = [];
  private writing = false;
  private writeScheduled = false;
  private checkpointing: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  /** Writes the record files of every change journalled so far (the store's; see `useWriteBehind`). */
  private writeBehind: () => Promise<void> = () => Promise.resolve();

  private constructor(
    private readonly rootDir: string,
    private readonly dir: string,
    checkpointEveryMs: number,
  ) {
    this.current = this.startGeneration();
    this.timer = setInterval(() => void this.checkpoint().catch(() => undefined), checkpointEveryMs || 2 ** 31 - 1);
    this.timer.unref();
  }

  /**
   * Replays what a crash left in `<rootDir>/.journal`, then starts a new generation.
   * `checkpointEveryMs` 0: only `checkpoint()` and `close()` checkpoint (tests).
   */
  static async open(
    rootDir: string,
    options: { checkpointEveryMs?: number } = {},
  ): Promise<{ journal: WriteAheadJournal; recovery: JournalRecovery }> {
    const dir = path.join(rootDir, JOURNAL_DIR);
    await makePrivateDirectory(dir);
    const recovery = await recover(rootDir, dir);
    return { journal: new WriteAheadJournal(rootDir, dir, options.checkpointEveryMs ?? CHECKPOINT_EVERY_MS), recovery };
  }

  useWriteBehind(writeBehind: () => Promise<void>): void {
    this.writeBehind = writeBehind;
  }

  /** Journals one change of `file` (absolute path), whose stamp before the change was `base`; `recordText` null deletes it. */
  commit(file: string, base: string, recordText: string | null): JournalCommit {
    const generation = this.current;
    generation.outstanding += 1;
    this.sequence += 1;
    const seq = this.sequence;
    let settled = false;
    const settle = (stamp: string | null): void => {
      if (settled) return;
      settled = true;
      if (stamp === null) generation.failed = true;
      else {
        generation.written.add(file);
        if (stamp !== 'missing') writeQuietly(generation.doneDescriptor, `${seq} ${stamp}\n`);
      }
      generation.outstanding -= 1;
      if (generation.outstanding === 0) generation.drained?.();
    };
    if (this.closed) {
      settle(null);
      return { durable: Promise.reject(new Error('the journal is closed')), writtenBehind: () => undefined };
    }
    // A `JournalLine`, with the record's text as the store serialised it (the record file gets the same text).
    const text = `{"seq":${seq},"file":${JSON.stringify(path.relative(this.rootDir, file))},"base":${JSON.stringify(base)},"record":${recordText ?? 'null'}}\n`;
    const durable = new Promise<void>((resolve, reject) => this.queued.push({ generation, text, resolve, reject }));
    this.writeSoon();
    // A line that never reached the disk has no write-behind: it counts as settled (and failed).
    durable.catch(() => settle(null));
    return { durable, writtenBehind: settle };
  }

  /**
   * Starts a new generation, makes the previous one's record files durable and removes it. One
   * runs at a time; a generation whose write-behind failed stays for recovery at the next start.
   */
  checkpoint(): Promise<void> {
    this.checkpointing ??= this.runCheckpoint().finally(() => {
      this.checkpointing = null;
    });
    return this.checkpointing;
  }

  /** A clean stop: everything committed is made durable in its own file and the journal is left empty. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    await this.checkpoint();
    this.closed = true;
    // What was committed while the last checkpoint ran (nothing, after a clean stop of every turn).
    await this.writeBehind().catch(() => undefined);
    await this.drain(this.current);
    await this.retire(this.current);
  }

  /**
   * Starts the next write once the work under way in this turn of the event loop is done: a bot
   * turn makes its answer and its state in one go of promise callbacks, so their lines share one
   * flush instead of the state's waiting for the answer's.
   */
  private writeSoon(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(() => {
      this.writeScheduled = false;
      this.writeQueued();
    });
  }

  /**
   * Writes the queued lines of one generation in one `O_DSYNC` write; lines queued meanwhile go in
   * the next. After a failed or short write the generation's file may end in a torn line, so later
   * lines go to a new generation (the torn one is kept for recovery, which skips torn lines).
   */
  private writeQueued(): void {
    if (this.writing || this.queued.length === 0) return;
    this.writing = true;
    const generation = this.queued[0].generation;
    const count = this.queued.findIndex((line) => line.generation !== generation);
    const batch = this.queued.splice(0, count === -1 ? this.queued.length : count);
    const buffer = Buffer.from(batch.map((line) => line.text).join(''));
    fsSync.write(generation.descriptor, buffer, 0, buffer.length, null, (error, bytes) => {
      this.writing = false;
      const failure = error ?? (bytes !== buffer.length ? new Error('short write to the journal') : null);
      if (failure && generation === this.current) {
        this.current = this.startGeneration();
        // Kept on disk for recovery (its changes failed, so it is marked failed); only its descriptors close.
        void this.drain(generation).then(() => this.retire(generation));
      }
      for (const line of batch) {
        if (failure) line.reject(failure);
        else line.resolve();
      }
      this.writeQueued();
    });
  }

  private async runCheckpoint(): Promise<void> {
    const old = this.current;
    const holdsChanges = old.outstanding > 0 || old.written.size > 0 || old.failed;
    // From here new changes go to a new generation; `old` is done once each of its records is written behind.
    if (holdsChanges) this.current = this.startGeneration();
    // Also when `old` holds nothing: a generation set aside after a failed write may wait for record files.
    // A failed write-behind counts as settled (the generation is then kept for recovery): this never hangs.
    await this.writeBehind().catch(() => undefined);
    if (!holdsChanges) return;
    await this.drain(old);
    await this.retire(old);
  }

  private drain(generation: Generation): Promise<void> {
    if (generation.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => {
      generation.drained = resolve;
    });
  }

  /** Fsyncs the generation's record files and folders once each, then removes its journal files. */
  private async retire(generation: Generation): Promise<void> {
    if (!generation.failed) {
      const folders = new Set<string>();
      for (const file of generation.written) {
        folders.add(path.dirname(file));
        await fsyncFile(file);
      }
      for (const folder of folders) await syncDirectory(folder);
    }
    closeQuietly(generation.descriptor);
    closeQuietly(generation.doneDescriptor);
    if (!generation.failed) await removeGeneration(this.dir, generation.name);
  }

  private startGeneration(): Generation {
    this.generationCount += 1;
    const name = `${String(Date.now()).padStart(15, '0')}-${String(this.generationCount).padStart(6, '0')}`;
    const append = fsSync.constants.O_WRONLY | fsSync.constants.O_CREAT | fsSync.constants.O_APPEND;
    const descriptor = fsSync.openSync(path.join(this.dir, `${name}.log`), append | fsSync.constants.O_DSYNC, PRIVATE_FILE_MODE);
    const doneDescriptor = fsSync.openSync(path.join(this.dir, `${name}.done`), append, PRIVATE_FILE_MODE);
    return { name, descriptor, doneDescriptor, outstanding: 0, drained: null, written: new Set(), failed: false };
  }
}

/**
 * fsync of a record file written behind; a file removed since needs none (its folder is synced).
 * Callback calls rather than a `FileHandle`: a checkpoint makes hundreds of these a second under load.
 */
function fsyncFile(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fsSync.open(file, 'r', (openError, descriptor) => {
      if (openError) return openError.code === 'ENOENT' ? resolve() : reject(openError);
      fsSync.fsync(descriptor, (syncError) => {
        fsSync.close(descriptor, (closeError) => {
          const error = syncError ?? closeError;
          if (error) reject(error);
          else resolve();
        });
      });
    });
  });
}

function writeQuietly(descriptor: number, text: string): void {
  try {
    fsSync.writeSync(descriptor, text);
  } catch {
    // Only a help for recovery, which then compares the file with the journalled values instead.
  }
}

function closeQuietly(descriptor: number): void {
  try {
    fsSync.closeSync(descriptor);
  } catch {
    // closed already
  }
}

async function removeGeneration(dir: string, name: string): Promise<void> {
  await fs.rm(path.join(dir, `${name}.log`), { force: true });
  await fs.rm(path.join(dir, `${name}.done`), { force: true });
  await syncDirectory(dir);
}

/**
 * Replays the generations left in `dir` and removes them. They all come from the one process that
 * crashed (recovery empties the journal at every start), so their sequence numbers run on across
 * generations and a record's changes are taken together, oldest first.
 */
async function recover(rootDir: string, dir: string): Promise<JournalRecovery> {
  const names = [
    ...new Set(
      (await fs.readdir(dir)).filter((name) => /^\d+-\d+\.(log|done)$/.test(name)).map((name) => name.slice(0, name.indexOf('.'))),
    ),
  ].sort();
  const recovery: JournalRecovery = { generations: names.length, replayed: 0, superseded: 0 };
  const byFile = new Map<string, JournalLine[]>();
  const done = new Map<number, string>();
  for (const name of names) {
    for (const line of await readLines(path.join(dir, `${name}.log`))) byFile.set(line.file, [...(byFile.get(line.file) ?? []), line]);
    for (const [seq, stamp] of await readDone(path.join(dir, `${name}.done`))) done.set(seq, stamp);
  }
  const root = path.resolve(rootDir);
  for (const [relative, changes] of byFile) {
    const file = path.resolve(root, relative);
    // Never outside the store's folder, whatever the journal says.
    if (!file.startsWith(`${root}${path.sep}`)) continue;
    const outcome = await replay(file, changes, done);
    if (outcome === 'replayed') recovery.replayed += 1;
    if (outcome === 'superseded') recovery.superseded += 1;
  }
  for (const name of names) await removeGeneration(dir, name);
  return recovery;
}

/**
 * Brings one record file to its last journalled value when the file is still ours; see the
 * module's remarks for what counts as ours.
 */
async function replay(file: string, changes: JournalLine[], done: Map<number, string>): Promise<'replayed' | 'current' | 'superseded'> {
  const last = changes[changes.length - 1];
  const stamp = fileStamp(file);
  const text = stamp === 'missing' ? null : await fs.readFile(file, 'utf8').catch(() => null);
  // Torn by the crash (or a power cut): only our own writes go to a record file without a flush.
  const torn = text !== null && checkRecordText(text) !== null;
  const holds = (record: unknown): boolean => (record === null ? stamp === 'missing' : text !== null && text === JSON.stringify(record));
  if (holds(last.record)) return 'current';
  const lastWritten = done.get(last.seq);
  // Our last change reached its file: a different file now is another process's doing. Otherwise
  // the file must still be one we based a change on, wrote, or journalled.
  const ours =
    torn ||
    (lastWritten !== undefined
      ? lastWritten === stamp
      : changes.some((change) => change.base === stamp || done.get(change.seq) === stamp || holds(change.record)));
  if (!ours) return 'superseded';
  if (last.record === null) {
    await fs.rm(file, { force: true });
    await syncDirectory(path.dirname(file));
  } else {
    await makePrivateDirectory(path.dirname(file));
    await new DurableJsonFile<unknown>(file).write(last.record);
  }
  return 'replayed';
}

/** The journal's complete lines; a torn last line (the crash came mid-write, nobody was told) is left out. */
async function readLines(file: string): Promise<JournalLine[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const lines: JournalLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    try {
      const line = JSON.parse(raw) as JournalLine;
      if (typeof line.seq === 'number' && typeof line.file === 'string' && typeof line.base === 'string' && 'record' in line)
        lines.push(line);
    } catch {
      // torn
    }
  }
  return lines;
}

async function readDone(file: string): Promise<Map<number, string>> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const done = new Map<number, string>();
  for (const raw of text.split('\n')) {
    const [seq, stamp] = raw.split(' ');
    if (seq && stamp) done.set(Number(seq), stamp);
  }
  return done;
}
