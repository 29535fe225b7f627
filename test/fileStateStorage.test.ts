import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ETagCheckedStorage, StateConflictError } from '../bots/eTagCheckedStorage';
import { FileStateStorage } from '../storage/fileStateStorage';
import { JsonFileStore } from '../storage/jsonFileStore';

async function storage(dir?: string): Promise<{ storage: FileStateStorage; dir: string }> {
  const folder = dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'state-')));
  return { storage: new FileStateStorage(new JsonFileStore(folder)), dir: folder };
}

describe('FileStateStorage (botbuilder Storage)', () => {
  it('reads back what it wrote, with a new eTag', async () => {
    const { storage: s } = await storage();
    await s.write({ 'webchat/conversations/1': { phase: 'asking' } });
    const items = await s.read(['webchat/conversations/1', 'missing']);
    expect(items['webchat/conversations/1'].phase).toBe('asking');
    expect(typeof items['webchat/conversations/1'].eTag).toBe('string');
    expect(items.missing).toBeUndefined();
  });

  it('rejects a write with a stale eTag and keeps the newer value', async () => {
    const { storage: s } = await storage();
    await s.write({ k: { v: 1 } });
    const first = (await s.read(['k'])).k;
    await s.write({ k: { ...first, v: 2 } });
    await expect(s.write({ k: { ...first, v: 3 } })).rejects.toThrow(/eTag conflict/);
    expect((await s.read(['k'])).k.v).toBe(2);
  });

  it('lets "*" and a missing eTag overwrite', async () => {
    const { storage: s } = await storage();
    await s.write({ k: { v: 1 } });
    await s.write({ k: { v: 2, eTag: '*' } });
    await s.write({ k: { v: 3 } });
    expect((await s.read(['k'])).k.v).toBe(3);
  });

  it('only one of two concurrent writers with the same eTag wins', async () => {
    const { storage: s } = await storage();
    await s.write({ k: { v: 0 } });
    const base = (await s.read(['k'])).k;
    const results = await Promise.allSettled([s.write({ k: { ...base, v: 'a' } }), s.write({ k: { ...base, v: 'b' } })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('survives a restart and deletes', async () => {
    const first = await storage();
    await first.storage.write({ 'u/1': { locale: 'nl' } });
    const second = await storage(first.dir);
    expect((await second.storage.read(['u/1']))['u/1'].locale).toBe('nl');
    await second.storage.delete(['u/1']);
    expect(await (await storage(first.dir)).storage.read(['u/1'])).toEqual({});
  });

  it('behind the eTag check, a second save of one state in a turn compares with the first save, not with the read', async () => {
    const { storage: inner } = await storage();
    const checked = new ETagCheckedStorage(inner);
    await inner.write({ k: { v: 0 } });
    const state = (await checked.read(['k'])).k;
    state.v = 1;
    await checked.write({ k: state });
    state.v = 2;
    await checked.write({ k: state });
    expect((await inner.read(['k'])).k.v).toBe(2);
    // Another writer in between: the next save of this turn's object is refused.
    await inner.write({ k: { v: 'other', eTag: '*' } });
    state.v = 3;
    await expect(checked.write({ k: state })).rejects.toBeInstanceOf(StateConflictError);
    expect((await inner.read(['k'])).k.v).toBe('other');
  });
});
