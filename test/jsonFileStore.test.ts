import fsSync, { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CorruptFile, CorruptRecordError, JsonFileStore, syncDirectory } from '../storage/jsonFileStore';

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'store-'));
}

describe('JsonFileStore', () => {
  it('keeps a record across a restart (a new store on the same folder)', async () => {
    const dir = await tempDir();
    const first = new JsonFileStore(dir);
    await first.write('responses', 'set-1', { answers: { a: 3 } });
    const second = new JsonFileStore(dir);
    expect(await second.read('responses', 'set-1')).toEqual({ answers: { a: 3 } });
  });

  it('puts each record in its own file', async () => {
    const dir = await tempDir();
    const store = new JsonFileStore(dir);
    for (let i = 0; i < 5; i += 1) await store.write('responses', `set-${i}`, { i });
    const files = (await fs.readdir(path.join(dir, 'responses'))).filter((name) => name.endsWith('.json'));
    expect(files).toHaveLength(5);
  });

  it('never loses an update when many run at once on one record', async () => {
    const dir = await tempDir();
    const store = new JsonFileStore(dir);
    await store.write('counters', 'c', { n: 0, seen: [] as number[] });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.update<{ n: number; seen: number[] }>('counters', 'c', (current) => ({
          n: (current?.n ?? 0) + 1,
          seen: [...(current?.seen ?? []), i],
        })),
      ),
    );
    const reopened = new JsonFileStore(dir);
    const result = await reopened.read<{ n: number; seen: number[] }>('counters', 'c');
    expect(result?.n).toBe(50);
    expect(new Set(result?.seen).size).toBe(50);
  });

  it('writes to different records in parallel without mixing them', async () => {
    const dir = await tempDir();
    const store = new JsonFileStore(dir);
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.write('responses', `r${i}`, { owner: i })));
    const reopened = new JsonFileStore(dir);
    for (let i = 0; i < 30; i += 1) expect(await reopened.read('responses', `r${i}`)).toEqual({ owner: i });
    expect(await reopened.list('responses')).toHaveLength(30);
  });

  it('makes a collection folder again when it went away after the store made it, with 8 first writes at once', async () => {
    const dir = await tempDir();
    const store = new JsonFileStore(dir);
    await store.write('rounds', 'r-0', { n: 0 });
    // Emptied from outside while the store lives on (by hand, or a clean-up between seeding runs).
    await fs.rm(path.join(dir, 'rounds'), { recursive: true });
    const writes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.write('rounds', `r-${i + 1}`, { n: i + 1 })));
    expect(writes.filter((write) => write.status === 'rejected')).toEqual([]);
    const reopened = new JsonFileStore(dir);
    for (let i = 1; i <= 8; i += 1) expect(await reopened.read('rounds', `r-${i}`)).toEqual({ n: i });
  });

  it('knows a record it wrote without looking at the file again, and still sees a change from outside', async () => {
    const dir = await tempDir();
    const store = new JsonFileStore(dir);
    await store.write('responses', 'set-1', { v: 1 });
    await store.write('responses', 'set-1', { v: 2 });
    expect(await store.read('responses', 'set-1')).toEqual({ v: 2 });
    await new JsonFileStore(dir).write('responses', 'set-1', { v: 3 });
    expect(await store.read('responses', 'set-1')).toEqual({ v: 3 });
  });

  it('shares folder syncs between writers (group commit), each waiting for a sync that began after it asked', async () => {
    const dir = await tempDir();
    const events: string[] = [];
    const open = fsSync.openSync.bind(fsSync);
    const spy = jest.spyOn(fsSync, 'openSync').mockImplementation((file, flags, mode) => {
      if (file === dir) events.push('folder sync starts');
      return open(file, flags, mode);
    });
    try {
      const first = syncDirectory(dir).then(() => events.push('first done'));
      // These two ask while the first sync is under way: it may have begun before their renames.
      const second = syncDirectory(dir).then(() => events.push('second done'));
      const third = syncDirectory(dir).then(() => events.push('third done'));
      await Promise.all([first, second, third]);
    } finally {
      spy.mockRestore();
    }
    expect(events).toEqual(['folder sync starts', 'first done', 'folder sync starts', 'second done', 'third done']);
  });

  it('a failing change leaves the stored record as it was', async () => {
    const dir = await tempDir();
    const store = new JsonFileStore(dir);
    await store.write('responses', 'x', { v: 1 });
    await expect(
      store.update('responses', 'x', () => {
        throw new Error('rejected');
      }),
    ).rejects.toThrow('rejected');
    expect(await new JsonFileStore(dir).read('responses', 'x')).toEqual({ v: 1 });
  });

  it('deletes a record', async () => {
    const dir = await tempDir();
    const store = new JsonFileStore(dir);
    await store.write('responses', 'gone', { v: 1 });
    await store.delete('responses', 'gone');
    expect(await store.read('responses', 'gone')).toBeUndefined();
    expect(await new JsonFileStore(dir).read('responses', 'gone')).toBeUndefined();
  });

  it('reports a corrupt file and never replaces it', async () => {
    const dir = await tempDir();
    const store = new JsonFileStore(dir);
    await store.write('responses', 'broken', { v: 1 });
    const [file] = (await fs.readdir(path.join(dir, 'responses'))).filter((name) => name.endsWith('.json'));
    const filePath = path.join(dir, 'responses', file);
    await fs.writeFile(filePath, '{"key":"broken","value":{"v":');

    const reported: CorruptFile[] = [];
    const restarted = new JsonFileStore(dir, undefined, (found) => reported.push(found));
    await expect(restarted.read('responses', 'broken')).rejects.toBeInstanceOf(CorruptRecordError);
    expect(reported.map((c) => c.filePath)).toEqual([filePath]);
    await expect(restarted.write('responses', 'broken', { v: 2 })).rejects.toBeInstanceOf(CorruptRecordError);
    expect(await fs.readFile(filePath, 'utf8')).toBe('{"key":"broken","value":{"v":');
    expect(reported).toHaveLength(1);
  });

  it('scans every file of a collection with its record or its problem, reporting each bad one once', async () => {
    const dir = await tempDir();
    const reported: CorruptFile[] = [];
    const store = new JsonFileStore(dir, undefined, (found) => reported.push(found));
    await store.write('responses', 'good', { v: 1 });
    await store.write('responses', 'bad', { v: 2 });
    const bad = (await fs.readdir(path.join(dir, 'responses'))).map((name) => path.join(dir, 'responses', name));
    for (const file of bad) if ((await fs.readFile(file, 'utf8')).includes('"bad"')) await fs.writeFile(file, 'not json');
    const scanned = [];
    for await (const file of store.scan<{ v: number }>('responses')) scanned.push(file.record ? file.record.key : file.problem);
    expect(scanned.sort()).toEqual(['good', expect.stringContaining('JSON')].sort());
    for await (const file of store.scan('responses')) void file;
    expect(reported).toHaveLength(1);
    expect((await store.list('responses')).map((record) => record.key)).toEqual(['good']);
  });

  it('treats an empty file as corrupt, not as no record', async () => {
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, 'responses'), { recursive: true });
    const store = new JsonFileStore(dir);
    await store.write('responses', 'e', { v: 1 });
    const [file] = await fs.readdir(path.join(dir, 'responses'));
    await fs.writeFile(path.join(dir, 'responses', file), '');
    const restarted = new JsonFileStore(dir);
    await expect(restarted.read('responses', 'e')).rejects.toBeInstanceOf(CorruptRecordError);
  });

  it('sees changes made by another process (the admin command) to a record it has read', async () => {
    const dir = await tempDir();
    const bot = new JsonFileStore(dir);
    const admin = new JsonFileStore(dir);
    expect(await bot.read('professionals', 'p1')).toBeUndefined();
    await admin.write('professionals', 'p1', { revoked: false });
    expect(await bot.read('professionals', 'p1')).toEqual({ revoked: false });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await admin.write('professionals', 'p1', { revoked: true, note: 'longer so the size changes' });
    expect(await bot.read('professionals', 'p1')).toEqual({ revoked: true, note: 'longer so the size changes' });
  });

  it('refuses collection names that could leave the data folder', async () => {
    const store = new JsonFileStore(await tempDir());
    await expect(store.read('../etc', 'x')).rejects.toThrow('invalid collection');
  });
});
