/**
 * @packageDocumentation
 * Durable records on disk: one JSON file per record, one lowdb instance per file.
 *
 * @remarks lowdb rewrites its whole file on every write, so a single big file would make every
 * answer slower as data grows. Here a record (a conversation's state, a response set, a round) is its
 * own file under `<dataDir>/<collection>/`, and a write costs the same at 10 or 100,000 records.
 * A write goes to a temporary file that is fsynced, renamed over the old one, and then the folder is
 * fsynced too (`DurableJsonFile`): when `update` resolves, the record survives a `kill -9` and a
 * power cut, so the bot may confirm an answer. Inside a turn of the bot the change is durable once
 * its line is in the write-ahead journal (`writeAheadJournal.ts`); the record file is written at the
 * journal's next checkpoint (about a second later), once however often the record changed in
 * between, and flushed there. Until then this process reads the record from its cache, while
 * another process (an admin command) still reads the file as it was. Writes to one file are queued, so concurrent
 * read-modify-write updates never lose each other's changes. Folders are created 0700 and files
 * 0600 whatever the umask: records hold answers and user ids.
 *
 * A file that does not parse is never replaced: it is reported (`onCorrupt`) when it is first read,
 * and every read or write of it fails with `CorruptRecordError` until a person repairs or removes it.
 * Start-up reads no records; `npm run admin -- check-store` reads them all (`scan`).
 */
import { createHash, randomBytes } from 'node:crypto';
import fsSync, { promises as fs, type Dir } from 'node:fs';
import path from 'node:path';
import { Adapter, Low } from 'lowdb';
import type { DeferredDurability } from './deferredDurability';

/** A journalled change: kept when `durable` resolves; the store reports its write-behind. */
export interface JournalCommit {
  durable: Promise<void>;
  /** The record file was written behind with this stamp (or removed: `'missing'`); `null`: the write-behind failed. */
  writtenBehind(stamp: string | null): void;
}

/** Where a turn's changes become durable before their record files do (`writeAheadJournal.ts`). */
export interface TurnJournal {
  /** Journals one change of `file`, whose stamp before it was `base`: the record file's new text, or null to remove it. */
  commit(file: string, base: string, recordText: string | null): JournalCommit;
  /**
   * What writes the journalled records' files behind (the store): called at every checkpoint, before
   * it waits for the generation it retires, and resolves once every record journalled so far is written.
   */
  useWriteBehind(writeBehind: () => Promise<void>): void;
  /** Writes the record files of the changes journalled so far, makes them durable and drops their part of the journal. */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
}

/** A change applied in memory, and how to make it durable (null: nothing to write). */
interface Applied<T> {
  next: T | undefined;
  persist: Persist | null;
}

interface Persist {
  /** The record file's stamp before the change, and its new contents, serialised once (null: removed). */
  base: string;
  text: string | null;
  /**
   * Writes the file durably (fsynced file and folder); resolves with its new stamp. `journalled`:
   * the change is kept in the journal already, so a failure leaves the cached copy in place.
   */
  durably: (journalled?: boolean) => Promise<string>;
  /** Writes the file without fsyncs (the journal holds the change); resolves with its new stamp. */
  behind: () => Promise<string>;
}

/** A journalled change of a record whose file does not have it yet. */
interface UnwrittenChange {
  persist: Persist;
  commit: JournalCommit;
}

interface RecordFile<T> {
  key: string;
  value: T;
  updatedAt: string;
}

export class CorruptRecordError extends Error {
  readonly code = 'STORAGE_CORRUPT_RECORD';
  constructor(
    readonly filePath: string,
    cause: string,
  ) {
    super(`Stored record ${filePath} cannot be read (${cause}); it was left untouched for inspection.`);
    this.name = 'CorruptRecordError';
  }
}

export interface CorruptFile {
  filePath: string;
  problem: string;
}

/** One file of a collection as `scan` finds it: its record, or what is wrong with it. */
export type ScannedFile<T> = { filePath: string; record: { key: string; value: T }; problem: null } | (CorruptFile & { record: null });

const COLLECTION_NAME = /^[a-z][a-z0-9-]{0,40}$/;
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** How many record file names `fileFor` remembers before it starts again (a few MB at most). */
const FILE_NAMES_REMEMBERED = 10_000;

/**
 * A lowdb adapter that makes a write durable before it resolves: temporary file (mode 0600),
 * fsync, rename, fsync of the folder. lowdb's own `JSONFile` renames without fsync. With
 * `sync: false` (a write behind the journal, which holds the change) it only writes and renames.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly file: string) {}

  async read(): Promise<T | null> {
    let text: string;
    this.lastReadText = null;
    try {
      // A record is a few kB: reading it here costs less than a trip through the thread pool.
      text = fsSync.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const data = JSON.parse(text) as T;
    this.lastReadText = text;
    return data;
  }

  /** The text the last `read` parsed (null: the file was missing). */
  lastReadText: string | null = null;

  /** The written file's stamp (`fileStamp`), from the write itself: no second look at the file. */
  lastWrittenStamp: string | null = null;

  /**
   * @remarks The calls that only touch the page cache (chmod, write, stat, close) run synchronously:
   * each takes microseconds, while a trip through libuv's thread pool costs tens of them plus a
   * wake-up of the event loop, and a record write made of eleven such trips was most of an answer
   * turn. What can wait for the disk or the file system's journal (creating the file, the fsyncs,
   * the rename) stays off the main thread.
   */
  async write(data: T, options: { sync?: boolean } = {}): Promise<void> {
    // Compact: a record is read by the store, not by people (`npm run admin` prints them).
    return this.writeText(JSON.stringify(data), options);
  }

  /** `write` for contents already serialised (a journalled record: the journal line holds the same text). */
  async writeText(text: string, options: { sync?: boolean } = {}): Promise<void> {
    const sync = options.sync ?? true;
    const dir = path.dirname(this.file);
    const temporary = path.join(dir, `.${path.basename(this.file)}.${temporarySuffix()}.tmp`);
    const descriptor = await openDescriptor(temporary, 'wx', PRIVATE_FILE_MODE);
    let stamp: string;
    try {
      fsSync.fchmodSync(descriptor, PRIVATE_FILE_MODE);
      fsSync.writeFileSync(descriptor, text);
      if (sync) await fsyncDescriptor(descriptor);
      // A rename keeps the inode, size and mtime, so this is the stamp the record file will have.
      stamp = stampOf(fsSync.fstatSync(descriptor));
    } catch (error) {
      fsSync.closeSync(descriptor);
      fsSync.rmSync(temporary, { force: true });
      throw error;
    }
    fsSync.closeSync(descriptor);
    await fs.rename(temporary, this.file);
    if (sync) await syncDirectory(dir);
    this.lastWrittenStamp = stamp;
  }
}

/** Drawn once per process: a crashed process with the same id (in a container, always 1) left other names. */
const temporaryPrefix = randomBytes(6).toString('hex');
let temporaryCount = 0;

/**
 * A temporary file name no other write uses: this process's random prefix and a counter, instead of
 * new random bytes for every write. The file is created with `wx` (never over another file).
 */
function temporarySuffix(): string {
  temporaryCount += 1;
  return `${temporaryPrefix}-${temporaryCount}`;
}

function openDescriptor(file: string, flags: string, mode: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fsSync.open(file, flags, mode, (error, descriptor) => (error ? reject(error) : resolve(descriptor))),
  );
}

function fsyncDescriptor(descriptor: number): Promise<void> {
  return new Promise((resolve, reject) => fsSync.fsync(descriptor, (error) => (error ? reject(error) : resolve())));
}

interface FolderSync {
  running: Promise<void>;
  /** The sync after `running`, shared by everyone who asked while `running` was under way. */
  following: Promise<void> | null;
}

/** Folder syncs under way, per folder. */
const folderSyncs = new Map<string, FolderSync>();

/**
 * Makes a rename or removal in `dir` durable: resolves after an fsync of the folder that began
 * after the call.
 *
 * @remarks Group commit: many turns renaming in one folder at once (each answer, each state write)
 * share folder syncs instead of each waiting for its own in a queue. A sync already under way may
 * have begun before this caller's rename, so the caller waits for the next one, which starts when
 * that one ends and serves everyone who asked in between.
 */
export function syncDirectory(dir: string): Promise<void> {
  const underWay = folderSyncs.get(dir);
  if (!underWay) return startFolderSync(dir);
  const next = (): Promise<void> => startFolderSync(dir);
  underWay.following ??= underWay.running.then(next, next);
  return underWay.following;
}

function startFolderSync(dir: string): Promise<void> {
  const sync: FolderSync = { running: fsyncFolder(dir), following: null };
  folderSyncs.set(dir, sync);
  const done = (): void => {
    if (folderSyncs.get(dir) === sync) folderSyncs.delete(dir);
  };
  sync.running.then(done, done);
  return sync.running;
}

async function fsyncFolder(dir: string): Promise<void> {
  const descriptor = fsSync.openSync(dir, 'r');
  try {
    await fsyncDescriptor(descriptor);
  } finally {
    fsSync.closeSync(descriptor);
  }
}

/** Creates `dir` (and missing parents) as 0700, whatever the umask. Existing folders keep their mode. */
export async function makePrivateDirectory(dir: string): Promise<void> {
  const created = await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (created === undefined) return;
  // `created` is the first folder made; chmod it and every one below it down to `dir`.
  for (let current = dir; ; current = path.dirname(current)) {
    await fs.chmod(current, PRIVATE_DIR_MODE);
    if (current === created || path.dirname(current) === current) break;
  }
  // The new folder's own entry must survive a power cut too.
  await syncDirectory(path.dirname(created));
}

/** Folders that others than the owner may read or enter: worth a warning at start-up. */
export async function looselyProtectedFolders(dirs: string[]): Promise<{ dir: string; mode: string }[]> {
  const loose: { dir: string; mode: string }[] = [];
  for (const dir of dirs) {
    try {
      const stats = await fs.stat(dir);
      if (stats.isDirectory() && (stats.mode & 0o077) !== 0) loose.push({ dir, mode: (stats.mode & 0o777).toString(8).padStart(4, '0') });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return loose;
}

/**
 * A record as the store caches it: its JSON text, of which every reader gets a parse of its own (a
 * copy no caller can change behind the store's back, cheaper than cloning an object), and the
 * file's stamp the text belongs to. `text` runs ahead of the file while the journal holds changes
 * the file does not have yet.
 */
interface CachedRecord {
  db: Low<RecordFile<unknown> | null>;
  stamp: string;
  /** The record file's JSON text; null: no record. */
  text: string | null;
}

export class JsonFileStore {
  private readonly databases = new Map<string, CachedRecord>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly corrupt = new Map<string, string>();
  private readonly knownDirectories = new Set<string>();
  private readonly fileNames = new Map<string, string>();
  /**
   * Records with journalled changes that their files do not have yet, oldest change first. The files
   * are written at the journal's checkpoint, once per record however often it changed in between;
   * until then the cached copy is the record (it is never evicted) and the file is what it was.
   */
  private readonly unwritten = new Map<string, UnwrittenChange[]>();

  /**
   * @param maxOpenFiles how many lowdb instances stay cached in memory (least recently used go first).
   * @param onCorrupt told once per file that does not parse (when first read or scanned), to log it.
   */
  constructor(
    readonly rootDir: string,
    private readonly maxOpenFiles = 2000,
    private readonly onCorrupt: (file: CorruptFile) => void = () => undefined,
    /** When given, changes made inside its scopes resolve before they are on disk (see `update`). */
    private readonly deferral?: DeferredDurability,
    /** When given with `deferral`, a turn's changes are durable once journalled (see `writeAheadJournal.ts`). */
    private readonly journal?: TurnJournal,
  ) {
    journal?.useWriteBehind(() => this.writeUnwritten([...this.unwritten.keys()]));
  }

  /**
   * Reads one record, or `undefined` when there is none. The caller gets its own copy: changing it
   * must not change the cached record behind the store's back (only `update` writes).
   */
  async read<T>(collection: string, key: string): Promise<T | undefined> {
    const file = this.fileFor(collection, key);
    return this.enqueue(file, async () => valueOf<T>(await this.open(file)));
  }

  /**
   * Changes one record atomically: `change` sees the current value and returns the new one
   * (`undefined` deletes the record). Its result is on disk when the promise resolves; inside a
   * turn of `DeferredDurability` it resolves once applied, and the turn waits for the disk at its
   * `settled()`. Either way, every later read or change of this record waits until it is kept (on
   * disk, or in the journal, whose checkpoint writes the file).
   */
  async update<T>(collection: string, key: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined> {
    const file = this.fileFor(collection, key);
    const deferral = this.deferral;
    if (!deferral?.active)
      return this.enqueue(file, async () => {
        const { next, persist } = await this.apply(file, key, change);
        if (persist) this.writtenWith(file, await persist.durably());
        return next;
      });
    let applied: (value: T | undefined) => void = () => undefined;
    let refused: (error: unknown) => void = () => undefined;
    const result = new Promise<T | undefined>((resolve, reject) => {
      applied = resolve;
      refused = reject;
    });
    // Settles when the change is kept (or there was nothing to keep): what the turn's `settled()` waits for.
    let durable: (error?: Error) => void = () => undefined;
    const kept = new Promise<void>((resolve, reject) => {
      durable = (error?: Error) => (error === undefined ? resolve() : reject(error));
    });
    const failed = (error: unknown): void => durable(error instanceof Error ? error : new Error('the record could not be written'));
    void this.enqueue(file, async () => {
      let outcome: Applied<T>;
      try {
        outcome = await this.apply(file, key, change);
      } catch (error) {
        refused(error);
        durable();
        return;
      }
      applied(outcome.next);
      const persist = outcome.persist;
      if (!persist) return durable();
      if (!this.journal) {
        await persist.durably().then(() => durable(), failed);
        return;
      }
      // Durable once its journal line is; the record file is written at the next checkpoint. Noted
      // as unwritten at once, so that no checkpoint can miss a change it has to wait for.
      const commit = this.journal.commit(file, persist.base, persist.text);
      const changes = this.unwritten.get(file) ?? [];
      changes.push({ persist, commit });
      this.unwritten.set(file, changes);
      try {
        await commit.durable;
      } catch (error) {
        // Not kept (the journal counts it as failed): the record is again what was kept before it.
        changes.pop();
        if (changes.length === 0) this.unwritten.delete(file);
        this.forgetUnkept(file);
        failed(error);
        return;
      }
      durable();
    });
    deferral.track(kept);
    return result;
  }

  /**
   * Writes the files of records with journalled changes, each in its queue (after the change under
   * way, if any): the last change's text, without fsyncs (the checkpoint fsyncs them); when that
   * fails, durably, so that a checkpoint never has to keep a generation for it. When both fail the
   * journal keeps the changes for the next start, and this process goes on with the kept value it
   * has cached (the file on disk is still the one it was based on).
   */
  private async writeUnwritten(files: string[]): Promise<void> {
    await Promise.all(
      files.map((file) =>
        this.enqueue(file, async () => {
          // Another process may have changed the file since: `open` sees it, and its write wins.
          if (this.unwritten.has(file)) await this.open(file).catch(() => undefined);
          const changes = this.unwritten.get(file);
          if (!changes) return;
          const latest = changes[changes.length - 1].persist;
          let stamp: string | null;
          try {
            stamp = await latest.behind();
          } catch {
            stamp = await latest.durably(true).catch(() => null);
          }
          this.writtenWith(file, stamp);
        }),
      ),
    );
  }

  /**
   * The file of `file` was written (with `stamp`; null: the write failed, the journal keeps the changes)
   * or does not need our changes any more: every journalled change before now is settled.
   */
  private writtenWith(file: string, stamp: string | null): void {
    const changes = this.unwritten.get(file);
    if (!changes) return;
    this.unwritten.delete(file);
    for (const change of changes) change.commit.writtenBehind(stamp);
  }

  /**
   * After a change that was not kept: readers must see the kept record again, which is the last
   * journalled change when its file does not have it yet, or else the file.
   */
  private forgetUnkept(file: string): void {
    const changes = this.unwritten.get(file);
    const cached = this.databases.get(file);
    if (!changes || !cached) {
      this.databases.delete(file);
      return;
    }
    cached.text = changes[changes.length - 1].persist.text;
  }

  /**
   * Runs `change` on the cached record (inside the record's queue) and says how to make the result
   * durable: `persist` is null when nothing changed. A failed persist puts back what is kept (the
   * last journalled change, or else the file), so the next reader never sees a value that was not kept.
   */
  private async apply<T>(file: string, key: string, change: (current: T | undefined) => T | undefined): Promise<Applied<T>> {
    const cached = await this.open(file);
    // A parse of its own: `change` may change it in place without touching the cached record.
    const working = valueOf<T>(cached);
    const next = change(working);
    // Returning the very object it was given means "no change": skip the disk write.
    if (next !== undefined && next === working) return { next, persist: null };
    if (next === undefined && working === undefined) return { next, persist: null };
    const base = cached.stamp;
    const dir = path.dirname(file);
    // The change's text, serialised once: the cache, the journal line and the record file share it.
    const text =
      next === undefined ? null : JSON.stringify({ key, value: next, updatedAt: new Date().toISOString() } satisfies RecordFile<T>);
    // Cached from here (a new record, a deletion's `null` too) until its file has it: readers queued
    // behind this change see the change, never the file it is based on.
    cached.text = text;
    this.databases.set(file, cached);
    const written = async (write: () => Promise<string>, keptElsewhere: boolean): Promise<string> => {
      let stamp: string;
      try {
        stamp = await write();
      } catch (error) {
        // Not kept: readers must see what is kept again. Journalled: the cached copy is the kept value.
        if (!keptElsewhere) this.forgetUnkept(file);
        throw error;
      }
      cached.stamp = stamp;
      // A missing file is not cached, so a record created elsewhere is seen on the next read.
      if (stamp === 'missing') this.databases.delete(file);
      else this.databases.set(file, cached);
      return stamp;
    };
    const adapter = cached.db.adapter as DurableJsonFile<RecordFile<unknown> | null>;
    const writeFile = async (contents: string | null, sync: boolean): Promise<string> => {
      if (contents === null) {
        await fs.rm(file, { force: true });
        if (sync) await syncDirectory(dir);
        return 'missing';
      }
      await this.writeInFolder(dir, () => adapter.writeText(contents, { sync }));
      return adapter.lastWrittenStamp ?? fileStamp(file);
    };
    return {
      next,
      persist: {
        base,
        text,
        durably: (journalled = false) => written(() => writeFile(text, true), journalled),
        behind: () => written(() => writeFile(text, false), true),
      },
    };
  }

  async write<T>(collection: string, key: string, value: T): Promise<void> {
    await this.update<T>(collection, key, () => value);
  }

  async delete(collection: string, key: string): Promise<void> {
    await this.update(collection, key, () => undefined);
  }

  /**
   * Every record in a collection. Reads each file: meant for admin work and small collections.
   * A file that does not parse is left out (and reported through `onCorrupt`), so one bad record
   * does not hide all the others.
   */
  async list<T>(collection: string): Promise<{ key: string; value: T }[]> {
    const dir = this.collectionDir(collection);
    await this.writesUnderWayIn(dir);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: { key: string; value: T }[] = [];
    for (const name of names.filter(isRecordFileName).sort()) {
      const file = path.join(dir, name);
      if (this.corrupt.has(file)) continue;
      let record: RecordFile<unknown> | null;
      try {
        const cached = await this.enqueue(file, () => this.open(file));
        record = cached.text === null ? null : (JSON.parse(cached.text) as RecordFile<unknown>);
      } catch (error) {
        if (error instanceof CorruptRecordError) continue;
        throw error;
      }
      if (record) records.push({ key: record.key, value: record.value as T });
    }
    return records;
  }

  /**
   * Every record of a collection, one file at a time and without caching, so memory stays flat
   * however large the collection is (exports, erasure). Files that do not parse are skipped, as in `list`.
   */
  async *stream<T>(collection: string): AsyncGenerator<{ key: string; value: T }> {
    for await (const file of this.scan<T>(collection)) if (file.record) yield file.record;
  }

  /**
   * Every file of a collection, one at a time and without caching, with its record or its problem
   * (reported through `onCorrupt`, and refused by reads from then on): for `stream` and `check-store`.
   * An empty record file (a deleted record's `null`) yields nothing.
   */
  async *scan<T>(collection: string): AsyncGenerator<ScannedFile<T>> {
    await this.writesUnderWayIn(this.collectionDir(collection));
    let dir: Dir;
    try {
      dir = await fs.opendir(this.collectionDir(collection));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for await (const entry of dir) {
      if (!entry.isFile() || !isRecordFileName(entry.name)) continue;
      const file = path.join(dir.path, entry.name);
      const known = this.corrupt.get(file);
      if (known) {
        yield { filePath: file, problem: known, record: null };
        continue;
      }
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // deleted meanwhile
        throw error;
      }
      const problem = checkRecordText(text);
      if (problem) {
        this.markCorrupt(file, problem);
        yield { filePath: file, problem, record: null };
        continue;
      }
      const record = JSON.parse(text) as RecordFile<T> | null;
      if (record) yield { filePath: file, record: { key: record.key, value: record.value }, problem: null };
    }
  }

  /** How many record files a collection has (a progress bar's total); reads names only. */
  async count(collection: string): Promise<number> {
    await this.writesUnderWayIn(this.collectionDir(collection));
    try {
      return (await fs.readdir(this.collectionDir(collection))).filter(isRecordFileName).length;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
  }

  /** The collections that exist on disk. */
  async collections(): Promise<string[]> {
    try {
      const names = await fs.readdir(this.rootDir, { withFileTypes: true });
      return names.filter((entry) => entry.isDirectory() && COLLECTION_NAME.test(entry.name)).map((entry) => entry.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** Resolves when every queued write has reached the disk, in its own file (the journal is checkpointed). */
  async flush(): Promise<void> {
    while (this.queues.size > 0) {
      await Promise.allSettled([...this.queues.values()]);
    }
    await this.journal?.checkpoint();
  }

  /** A clean stop: waits for every write and leaves the journal empty. */
  async close(): Promise<void> {
    await this.flush();
    await this.journal?.close();
  }

  /**
   * Waits for the writes queued in a folder: a listing reads file names, and a record that a turn
   * has just created (deferred) has no file yet.
   */
  private async writesUnderWayIn(dir: string): Promise<void> {
    await this.writeUnwritten([...this.unwritten.keys()].filter((file) => path.dirname(file) === dir));
    const underWay = [...this.queues].filter(([file]) => path.dirname(file) === dir).map(([, queued]) => queued);
    if (underWay.length > 0) await Promise.allSettled(underWay);
  }

  private collectionDir(collection: string): string {
    if (!COLLECTION_NAME.test(collection)) throw new Error(`invalid collection name "${collection}"`);
    return path.join(this.rootDir, collection);
  }

  /**
   * Keys come from channels and users: hashing them keeps file names safe and of fixed length. The
   * names of recently used records are remembered (a turn asks for the same few several times).
   */
  private fileFor(collection: string, key: string): string {
    const name = `${collection}\n${key}`;
    const known = this.fileNames.get(name);
    if (known !== undefined) return known;
    const digest = createHash('sha256').update(key).digest('hex').slice(0, 40);
    const file = path.join(this.collectionDir(collection), `${digest}.json`);
    if (this.fileNames.size >= FILE_NAMES_REMEMBERED) this.fileNames.clear();
    this.fileNames.set(name, file);
    return file;
  }

  private async ensureDirectory(dir: string): Promise<void> {
    if (this.knownDirectories.has(dir)) return;
    await makePrivateDirectory(dir);
    this.knownDirectories.add(dir);
  }

  /**
   * Writes a record into its collection folder, making the folder first when this store has not.
   * A folder this store once made can be gone since (removed by hand or by a clean-up while the
   * store lived on); the temporary file then meets ENOENT, so the folder is made again, once.
   */
  private async writeInFolder(dir: string, write: () => Promise<void>): Promise<void> {
    await this.ensureDirectory(dir);
    try {
      await write();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.knownDirectories.delete(dir);
      await this.ensureDirectory(dir);
      await write();
    }
  }

  private markCorrupt(file: string, problem: string): void {
    if (this.corrupt.has(file)) return;
    this.corrupt.set(file, problem);
    this.onCorrupt({ filePath: file, problem });
  }

  private async open(file: string): Promise<CachedRecord> {
    const known = this.corrupt.get(file);
    if (known) throw new CorruptRecordError(file, known);
    // Another process (the admin command, say) may have changed the file: re-read when it did.
    const stamp = fileStamp(file);
    const cached = this.databases.get(file);
    if (cached && cached.stamp === stamp) {
      // Refresh the least-recently-used order.
      this.databases.delete(file);
      this.databases.set(file, cached);
      return cached;
    }
    this.databases.delete(file);
    // Changed by another process after our journalled changes, which its file never got: its write
    // wins, as at recovery (no stamp of ours is noted, so recovery does not replay them either).
    this.writtenWith(file, 'missing');
    const adapter = new DurableJsonFile<RecordFile<unknown> | null>(file);
    const db = new Low<RecordFile<unknown> | null>(adapter, null);
    try {
      await db.read();
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      this.markCorrupt(file, problem);
      throw new CorruptRecordError(file, problem);
    }
    if (db.data !== null && !isRecordFile(db.data)) {
      this.markCorrupt(file, 'not a record file');
      throw new CorruptRecordError(file, 'not a record file');
    }
    // The text is what readers parse from now on; the parsed copy is not kept (half the memory).
    const loaded: CachedRecord = { db, stamp, text: db.data === null ? null : adapter.lastReadText };
    db.data = null;
    // A missing file is not cached, so a record created elsewhere is seen on the next read.
    if (loaded.text !== null) this.databases.set(file, loaded);
    if (this.databases.size > this.maxOpenFiles) {
      const oldest = this.databases.keys().next().value;
      if (oldest !== undefined && !this.queues.has(oldest) && !this.unwritten.has(oldest)) this.databases.delete(oldest);
    }
    return loaded;
  }

  private enqueue<R>(file: string, task: () => Promise<R>): Promise<R> {
    const previous = this.queues.get(file) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(file, settled);
    void settled.then(() => {
      if (this.queues.get(file) === settled) this.queues.delete(file);
    });
    return run;
  }
}

/** What tells whether a cached record is still the file on disk (another process may have replaced it). */
function stampOf(stats: { mtimeMs: number; size: number; ino: number }): string {
  return `${stats.mtimeMs}:${stats.size}:${stats.ino}`;
}

/** Synchronous for the same reason as `DurableJsonFile.write`: a stat of a cached inode takes microseconds. */
export function fileStamp(file: string): string {
  const stats = fsSync.statSync(file, { throwIfNoEntry: false });
  return stats ? stampOf(stats) : 'missing';
}

/** The value of a cached record, parsed afresh from its text: a copy of the caller's own. */
function valueOf<T>(cached: CachedRecord): T | undefined {
  return cached.text === null ? undefined : (JSON.parse(cached.text) as RecordFile<T>).value;
}

function isRecordFileName(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.');
}

function isRecordFile(value: unknown): value is RecordFile<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string' && 'value' in value;
}

/** What is wrong with a record file's text (empty, not JSON, not a record), or null when nothing is. */
export function checkRecordText(text: string): string | null {
  if (text.trim() === '') return 'the file is empty';
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && !isRecordFile(parsed)) return 'not a record file';
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : 'does not parse';
  }
}
