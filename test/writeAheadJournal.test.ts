import fsSync, { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeferredDurability } from '../storage/deferredDurability';
import { DurableJsonFile, fileStamp, JsonFileStore } from '../storage/jsonFileStore';
import { WriteAheadJournal } from '../storage/writeAheadJournal';

/**
 * A turn's writes are durable once journalled (issue 15: the answer turn waited for three disk
 * flushes per record). Recovery replays what a crash left, but never over a record that another
 * process (an admin command) changed after the bot's last write.
 */

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'journal-'));
}

const journalFiles = async (root: string): Promise<string[]> => (await fs.readdir(path.join(root, '.journal'))).sort();

/** A store as the bot opens it: deferred turn writes through the journal, checkpoints only when asked. */
async function journalledStore(root: string): Promise<{ store: JsonFileStore; journal: WriteAheadJournal; turns: DeferredDurability }> {
  const { journal } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
  const turns = new DeferredDurability();
  return { store: new JsonFileStore(root, undefined, undefined, turns, journal), journal, turns };
}

/** The record file `JsonFileStore` keeps `key` of `collection` in (the same hashing). */
async function recordFileOf(root: string, collection: string, key: string): Promise<string> {
  const probe = new JsonFileStore(root);
  await probe.write(collection, key, { probe: true });
  const [name] = (await fs.readdir(path.join(root, collection))).filter((entry) => entry.endsWith('.json'));
  return path.join(root, collection, name);
}

/** A record file as the store writes it. */
function recordText(key: string, value: unknown, updatedAt = '2026-12-01T10:00:00.000Z'): string {
  return JSON.stringify({ key, value, updatedAt });
}

describe('the write-ahead journal in a turn', () => {
  it('a turn is kept once its lines are journalled: one flush, no fsync of the record files', async () => {
    const root = await tempDir();
    const { store, journal, turns } = await journalledStore(root);
    await store.write('responses', 'set-1', { v: 1 });
    await store.write('state', 'conversation', { step: 2 });
    const fsyncs = jest.spyOn(fsSync, 'fsync');
    try {
      await turns.within(async () => {
        await store.update<{ v: number }>('responses', 'set-1', () => ({ v: 2 }));
        await store.write('state', 'conversation', { step: 3 });
        await turns.settled();
        // Kept: the journal holds both (written with O_DSYNC); no record file or folder was fsynced for it.
        expect(fsyncs).not.toHaveBeenCalled();
        const [log] = (await journalFiles(root)).filter((name) => name.endsWith('.log'));
        const lines = (await fs.readFile(path.join(root, '.journal', log), 'utf8')).trim().split('\n');
        expect(lines.map((line) => (JSON.parse(line) as { record: { value: unknown } }).record.value)).toEqual([{ v: 2 }, { step: 3 }]);
      });
      // Another reader waits for the record file, then sees the change.
      expect(await new JsonFileStore(root).read('responses', 'set-1')).toEqual({ v: 2 });
    } finally {
      fsyncs.mockRestore();
    }
    // A checkpoint makes the record files durable in their own right and empties the journal.
    const synced = jest.spyOn(fsSync, 'fsync');
    try {
      await journal.checkpoint();
      expect(synced.mock.calls.length).toBeGreaterThan(0);
    } finally {
      synced.mockRestore();
    }
    await store.close();
    expect(await journalFiles(root)).toEqual([]);
    expect(await new JsonFileStore(root).read('state', 'conversation')).toEqual({ step: 3 });
  });

  it('a journal write that fails makes the turn fail and every reader keeps the old value', async () => {
    const root = await tempDir();
    const { store, turns } = await journalledStore(root);
    await store.write('responses', 'set-1', { v: 1 });
    // The journal writes its lines with the callback `fs.write(descriptor, buffer, offset, length, position, done)`.
    const realWrite = fsSync.write.bind(fsSync) as unknown as (...args: unknown[]) => void;
    const failJournalLines = (...args: unknown[]): void => {
      const done = args[args.length - 1] as (error: Error | null) => void;
      if (Buffer.isBuffer(args[1]) && args[1].toString('utf8').includes('"seq"'))
        done(Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' }));
      else realWrite(...args);
    };
    const writes = jest.spyOn(fsSync, 'write').mockImplementation(failJournalLines);
    try {
      await expect(
        turns.within(async () => {
          await store.update<{ v: number }>('responses', 'set-1', () => ({ v: 2 }));
          await turns.settled();
        }),
      ).rejects.toThrow(/ENOSPC/);
    } finally {
      writes.mockRestore();
    }
    expect(await store.read('responses', 'set-1')).toEqual({ v: 1 });
    expect(await new JsonFileStore(root).read('responses', 'set-1')).toEqual({ v: 1 });
  });
});

describe('recovery from the journal after a crash', () => {
  /** Commits `record` for `file` as a turn would and "crashes": the write-behind never happens. */
  async function crashAfterCommit(root: string, file: string, record: unknown, written?: (stamp: string) => string): Promise<void> {
    const { journal } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
    const commit = journal.commit(file, fileStamp(file), JSON.stringify(record));
    await commit.durable;
    if (written) {
      // The write-behind happened (and was noted) before the crash.
      await fs.mkdir(path.dirname(file), { recursive: true });
      await new DurableJsonFile<unknown>(file).write(record);
      commit.writtenBehind(written(fileStamp(file)));
    }
  }

  it('writes a journalled record whose file was never written', async () => {
    const root = await tempDir();
    const file = await recordFileOf(root, 'responses', 'set-1');
    await fs.writeFile(file, recordText('set-1', { answers: 1 }));
    const record = { key: 'set-1', value: { answers: 2 }, updatedAt: '2026-12-01T10:01:00.000Z' };
    await crashAfterCommit(root, file, record);

    const { recovery } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
    expect(recovery).toEqual({ generations: 1, replayed: 1, superseded: 0 });
    expect(await fs.readFile(file, 'utf8')).toBe(JSON.stringify(record));
    // The replayed generation is gone; what is left is the new, empty one.
    const left = await journalFiles(root);
    expect(left).toHaveLength(2);
    for (const name of left) expect(await fs.readFile(path.join(root, '.journal', name), 'utf8')).toBe('');
  });

  it('leaves alone a record that another process changed after the bot wrote it', async () => {
    const root = await tempDir();
    const file = await recordFileOf(root, 'responses', 'set-1');
    const record = { key: 'set-1', value: { answers: 2 }, updatedAt: '2026-12-01T10:01:00.000Z' };
    await crashAfterCommit(root, file, record, (stamp) => stamp);
    // The admin command changes the record after the bot's write (and before its checkpoint).
    const theirs = recordText('set-1', { answers: 2, closedByAdmin: true }, '2026-12-01T10:02:00.000Z');
    await new DurableJsonFile<unknown>(file).write(JSON.parse(theirs));

    const { recovery } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
    expect(recovery).toEqual({ generations: 1, replayed: 0, superseded: 1 });
    expect(await fs.readFile(file, 'utf8')).toBe(theirs);
  });

  it('does not bring back a record that an erasure removed after the bot created it', async () => {
    const root = await tempDir();
    const file = path.join(root, 'responses', 'aaaa.json');
    const record = { key: 'set-new', value: { answers: 1 }, updatedAt: '2026-12-01T10:01:00.000Z' };
    await crashAfterCommit(root, file, record, (stamp) => stamp);
    await fs.rm(file);

    const { recovery } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
    expect(recovery.superseded).toBe(1);
    expect(fsSync.existsSync(file)).toBe(false);
  });

  it('rewrites a record file that the crash left torn', async () => {
    const root = await tempDir();
    const file = await recordFileOf(root, 'responses', 'set-1');
    const record = { key: 'set-1', value: { answers: 2 }, updatedAt: '2026-12-01T10:01:00.000Z' };
    await crashAfterCommit(root, file, record);
    await fs.writeFile(file, '{"key":"set-1","val');

    const { recovery } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
    expect(recovery.replayed).toBe(1);
    expect(await fs.readFile(file, 'utf8')).toBe(JSON.stringify(record));
  });

  it('ignores a torn last line: that turn was never confirmed', async () => {
    const root = await tempDir();
    const file = await recordFileOf(root, 'responses', 'set-1');
    const before = await fs.readFile(file, 'utf8');
    const { journal } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
    void journal;
    const [log] = (await journalFiles(root)).filter((name) => name.endsWith('.log'));
    await fs.appendFile(path.join(root, '.journal', log), `{"seq":1,"file":"responses/${path.basename(file)}","base":"x","rec`);

    const { recovery } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
    expect(recovery).toEqual({ generations: 1, replayed: 0, superseded: 0 });
    expect(await fs.readFile(file, 'utf8')).toBe(before);
  });

  it('replays the last of several changes to one record', async () => {
    const root = await tempDir();
    const file = await recordFileOf(root, 'state', 'conversation');
    const { journal } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
    const first = { key: 'conversation', value: { step: 1 }, updatedAt: '2026-12-01T10:01:00.000Z' };
    const second = { key: 'conversation', value: { step: 2 }, updatedAt: '2026-12-01T10:02:00.000Z' };
    const one = journal.commit(file, fileStamp(file), JSON.stringify(first));
    await one.durable;
    await new DurableJsonFile<unknown>(file).write(first, { sync: false });
    one.writtenBehind(fileStamp(file));
    await journal.commit(file, fileStamp(file), JSON.stringify(second)).durable;

    const { recovery } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
    expect(recovery.replayed).toBe(1);
    expect(await fs.readFile(file, 'utf8')).toBe(JSON.stringify(second));
  });

  it('after a short journal write, later turns go to a new generation and are recovered', async () => {
    const root = await tempDir();
    const file = await recordFileOf(root, 'state', 'conversation');
    const { journal } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
    // The first journal write reaches the disk only in part (a full disk, say).
    const realWrite = fsSync.write.bind(fsSync) as unknown as (...args: unknown[]) => void;
    let torn = false;
    const halfOfTheFirstLine = (...args: unknown[]): void => {
      const [descriptor, buffer, , , position, done] = args as [number, Buffer, number, number, null, (e: Error | null, n: number) => void];
      if (torn || !buffer.toString('utf8').includes('"seq"')) return realWrite(...args);
      torn = true;
      realWrite(descriptor, buffer, 0, Math.floor(buffer.length / 2), position, done);
    };
    const writes = jest.spyOn(fsSync, 'write').mockImplementation(halfOfTheFirstLine);
    try {
      const first = { key: 'conversation', value: { step: 1 }, updatedAt: '2026-12-01T10:01:00.000Z' };
      await expect(journal.commit(file, fileStamp(file), JSON.stringify(first)).durable).rejects.toThrow(/short write/);
      const second = { key: 'conversation', value: { step: 2 }, updatedAt: '2026-12-01T10:02:00.000Z' };
      await journal.commit(file, fileStamp(file), JSON.stringify(second)).durable;

      const { recovery } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
      expect(recovery.replayed).toBe(1);
      expect(await fs.readFile(file, 'utf8')).toBe(JSON.stringify(second));
    } finally {
      writes.mockRestore();
    }
  });

  it('replays a turn journalled through the store whose files were never written', async () => {
    const root = await tempDir();
    const { store, turns } = await journalledStore(root);
    await store.write('responses', 'set-1', { v: 1 });
    // The crash: the record file is never renamed into place after the journal line.
    const realRename = fsSync.promises.rename.bind(fsSync.promises);
    let crashed = true;
    let renamesHeld = 0;
    const rename = jest.spyOn(fsSync.promises, 'rename').mockImplementation((from, to) => {
      if (!crashed) return realRename(from, to);
      renamesHeld += 1;
      return new Promise(() => undefined);
    });
    try {
      await turns.within(async () => {
        await store.update<{ v: number }>('responses', 'set-1', () => ({ v: 2 }));
        await turns.settled();
      });
      while (renamesHeld === 0) await new Promise((resolve) => setImmediate(resolve));
      crashed = false;
      expect(await new JsonFileStore(root).read('responses', 'set-1')).toEqual({ v: 1 });

      const { recovery } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
      expect(recovery.replayed).toBe(1);
      expect(await new JsonFileStore(root).read('responses', 'set-1')).toEqual({ v: 2 });
    } finally {
      rename.mockRestore();
    }
  });
});
