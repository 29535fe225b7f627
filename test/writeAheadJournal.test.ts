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

/** Every line the journal holds now, in all its generations. */
async function journalLines(root: string): Promise<string[]> {
  const logs = (await journalFiles(root)).filter((name) => name.endsWith('.log'));
  const texts = await Promise.all(logs.map((name) => fs.readFile(path.join(root, '.journal', name), 'utf8')));
  return texts.flatMap((text) => text.split('\n').filter((line) => line !== ''));
}

/** A store as the bot opens it: deferred turn writes through the journal, checkpoints only when asked. */
async function journalledStore(root: string): Promise<{ store: JsonFileStore; journal: WriteAheadJournal; turns: DeferredDurability }> {
  const { journal } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
  const turns = new DeferredDurability();
  return { store: new JsonFileStore(root, undefined, undefined, turns, journal), journal, turns };
}

/** Runs `work` as one turn of the bot and waits until its changes are kept. */
const turn = async (turns: DeferredDurability, work: () => Promise<unknown>): Promise<void> =>
  turns.within(async () => {
    await work();
    await turns.settled();
  });

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
      // Readers in this process see the change; the record file has not got it yet (another process reads the old one).
      expect(await store.read('responses', 'set-1')).toEqual({ v: 2 });
      expect(await new JsonFileStore(root).read('responses', 'set-1')).toEqual({ v: 1 });
    } finally {
      fsyncs.mockRestore();
    }
    // A checkpoint writes the record files, makes them durable in their own right and empties the journal.
    const synced = jest.spyOn(fsSync, 'fsync');
    try {
      await journal.checkpoint();
      expect(synced.mock.calls.length).toBeGreaterThan(0);
    } finally {
      synced.mockRestore();
    }
    expect(await new JsonFileStore(root).read('responses', 'set-1')).toEqual({ v: 2 });
    await store.close();
    expect(await journalFiles(root)).toEqual([]);
    expect(await new JsonFileStore(root).read('state', 'conversation')).toEqual({ step: 3 });
  });

  it("a turn's changes made in one go share one journal write (one flush on the reply's path, not two in a row)", async () => {
    const root = await tempDir();
    const { store, turns } = await journalledStore(root);
    await store.write('responses', 'set-1', { v: 1 });
    const writes = jest.spyOn(fsSync, 'write');
    try {
      // The answer, then the state once the next card is made: promise callbacks, no I/O in between.
      await turn(turns, async () => {
        await store.update<{ v: number }>('responses', 'set-1', () => ({ v: 2 }));
        await store.write('state', 'conversation', { step: 3 });
      });
      const written = (writes.mock.calls as unknown[][]).map((call) => call[1]).filter((data): data is Buffer => Buffer.isBuffer(data));
      const journalWrites = written.map((data) => data.toString('utf8')).filter((text) => text.includes('"seq"'));
      expect(journalWrites).toHaveLength(1);
      expect(journalWrites[0].trim().split('\n')).toHaveLength(2);
    } finally {
      writes.mockRestore();
    }
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

describe('record files written at the checkpoint', () => {
  it('writes a record that changed in several turns once, with its last value', async () => {
    const root = await tempDir();
    const { store, journal, turns } = await journalledStore(root);
    await store.write('state', 'conversation', { step: 0 });
    const renames = jest.spyOn(fsSync.promises, 'rename');
    try {
      for (let step = 1; step <= 5; step += 1) await turn(turns, () => store.write('state', 'conversation', { step }));
      expect(await store.read('state', 'conversation')).toEqual({ step: 5 });
      expect(renames).not.toHaveBeenCalled();
      await journal.checkpoint();
      expect(renames).toHaveBeenCalledTimes(1);
    } finally {
      renames.mockRestore();
    }
    expect(await new JsonFileStore(root).read('state', 'conversation')).toEqual({ step: 5 });
    expect(await journalLines(root)).toEqual([]);
  });

  it('keeps a new record and a removal in memory until the checkpoint, and never loses them to the cache limit', async () => {
    const root = await tempDir();
    const { journal } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
    const turns = new DeferredDurability();
    // Room for two cached records only: the unwritten ones must stay anyway.
    const store = new JsonFileStore(root, 2, undefined, turns, journal);
    await store.write('responses', 'old', { v: 'old' });
    await turn(turns, async () => {
      await store.write('responses', 'new', { v: 'new' });
      await store.delete('responses', 'old');
    });
    for (let other = 0; other < 5; other += 1) await store.write('rounds', `round-${other}`, { other });
    expect(await store.read('responses', 'new')).toEqual({ v: 'new' });
    expect(await store.read('responses', 'old')).toBeUndefined();
    // Another process still sees the files as they were.
    expect(await new JsonFileStore(root).read('responses', 'old')).toEqual({ v: 'old' });
    expect(await new JsonFileStore(root).read('responses', 'new')).toBeUndefined();
    await journal.checkpoint();
    expect(await new JsonFileStore(root).read('responses', 'old')).toBeUndefined();
    expect(await new JsonFileStore(root).read('responses', 'new')).toEqual({ v: 'new' });
  });

  it('a listing, a scan and a count in this process see the changes the files do not have yet', async () => {
    const root = await tempDir();
    const { store, turns } = await journalledStore(root);
    await store.write('responses', 'a', { v: 1 });
    await turn(turns, async () => {
      await store.write('responses', 'a', { v: 2 });
      await store.write('responses', 'b', { v: 1 });
    });
    expect(await store.count('responses')).toBe(2);
    const scanned: unknown[] = [];
    for await (const record of store.stream('responses')) scanned.push(record.value);
    expect(scanned).toEqual(expect.arrayContaining([{ v: 2 }, { v: 1 }]));
    expect((await store.list('responses')).map((record) => record.value)).toEqual(expect.arrayContaining([{ v: 2 }, { v: 1 }]));
  });

  it('a failed journal write after an unwritten change leaves readers with that change, not the older file', async () => {
    const root = await tempDir();
    const { store, journal, turns } = await journalledStore(root);
    await store.write('responses', 'set-1', { v: 1 });
    await turn(turns, () => store.write('responses', 'set-1', { v: 2 }));
    const realWrite = fsSync.write.bind(fsSync) as unknown as (...args: unknown[]) => void;
    const writes = jest.spyOn(fsSync, 'write').mockImplementation((...args: unknown[]) => {
      const done = args[args.length - 1] as (error: Error | null) => void;
      if (Buffer.isBuffer(args[1]) && args[1].toString('utf8').includes('"v":3')) done(new Error('EIO: i/o error'));
      else realWrite(...args);
    });
    try {
      await expect(turn(turns, () => store.write('responses', 'set-1', { v: 3 }))).rejects.toThrow(/EIO/);
    } finally {
      writes.mockRestore();
    }
    expect(await store.read('responses', 'set-1')).toEqual({ v: 2 });
    await journal.checkpoint();
    expect(await new JsonFileStore(root).read('responses', 'set-1')).toEqual({ v: 2 });
  });

  it('a durable write outside a turn carries the unwritten changes before it', async () => {
    const root = await tempDir();
    const { store, journal, turns } = await journalledStore(root);
    await store.write('rounds', 'r1', { answers: 0, reminded: false });
    await turn(turns, () =>
      store.update<{ answers: number; reminded: boolean }>('rounds', 'r1', (round) => round && { ...round, answers: 1 }),
    );
    // The scheduler, outside any turn: durable when it resolves, with the turn's change in it.
    await store.update<{ answers: number; reminded: boolean }>('rounds', 'r1', (round) => round && { ...round, reminded: true });
    expect(await new JsonFileStore(root).read('rounds', 'r1')).toEqual({ answers: 1, reminded: true });
    const renames = jest.spyOn(fsSync.promises, 'rename');
    try {
      await journal.checkpoint();
      expect(renames).not.toHaveBeenCalled();
    } finally {
      renames.mockRestore();
    }
    expect(await journalLines(root)).toEqual([]);
  });

  it('a record another process changed before the checkpoint keeps that change, now and after a crash', async () => {
    const root = await tempDir();
    const { store, journal, turns } = await journalledStore(root);
    await store.write('subjects', 's1', { name: 'kept' });
    await turn(turns, () => store.write('subjects', 's1', { name: 'changed in a turn' }));
    // An admin command erases the record meanwhile.
    await new JsonFileStore(root).delete('subjects', 's1');
    expect(await store.read('subjects', 's1')).toBeUndefined();
    // A crash now: recovery leaves the erasure alone.
    expect((await WriteAheadJournal.open(root, { checkpointEveryMs: 0 })).recovery.superseded).toBe(1);
    await journal.checkpoint();
    expect(await new JsonFileStore(root).read('subjects', 's1')).toBeUndefined();
  });

  it('the checkpoint does not write over a record another process changed, even when nobody read it since', async () => {
    const root = await tempDir();
    const { store, journal, turns } = await journalledStore(root);
    await store.write('subjects', 's1', { name: 'kept' });
    await store.write('subjects', 's2', { name: 'kept' });
    await turn(turns, async () => {
      await store.write('subjects', 's1', { name: 'changed in a turn' });
      await store.write('subjects', 's2', { name: 'changed in a turn' });
    });
    const admin = new JsonFileStore(root);
    await admin.delete('subjects', 's1');
    await admin.write('subjects', 's2', { name: 'changed by the admin' });
    await journal.checkpoint();
    expect(await new JsonFileStore(root).read('subjects', 's1')).toBeUndefined();
    expect(await new JsonFileStore(root).read('subjects', 's2')).toEqual({ name: 'changed by the admin' });
    expect(await store.read('subjects', 's2')).toEqual({ name: 'changed by the admin' });
    expect(await journalLines(root)).toEqual([]);
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
    await turns.within(async () => {
      await store.update<{ v: number }>('responses', 'set-1', () => ({ v: 2 }));
      await turns.settled();
    });
    // The crash comes before the checkpoint that would have written the record file.
    expect(await new JsonFileStore(root).read('responses', 'set-1')).toEqual({ v: 1 });

    const { recovery } = await WriteAheadJournal.open(root, { checkpointEveryMs: 0 });
    expect(recovery.replayed).toBe(1);
    expect(await new JsonFileStore(root).read('responses', 'set-1')).toEqual({ v: 2 });
  });
});
