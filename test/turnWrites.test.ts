import fsSync, { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter, UserState } from 'botbuilder';
import { AllianceBot, type ConversationEngine } from '../bots/allianceBot';
import type { TurnWrites } from '../bots/turnWrites';
import { DeferredDurability } from '../storage/deferredDurability';
import { JsonFileStore } from '../storage/jsonFileStore';

/**
 * A turn's writes go to disk side by side and are all there before its first reply (issue 15: the
 * answer and the state were written one after the other, each waiting for its own fsyncs).
 */

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'turn-writes-'));
}

/** Holds every fsync until `open()`; `fail()` makes the held ones (and later ones) fail instead. */
function holdFsyncs(): { open(): void; fail(): void; held(): number; restore(): void } {
  const realFsync = fsSync.fsync.bind(fsSync);
  let release: (ok: boolean) => void = () => undefined;
  let gate = new Promise<boolean>((resolve) => (release = resolve));
  let held = 0;
  const spy = jest.spyOn(fsSync, 'fsync').mockImplementation((descriptor, callback) => {
    held += 1;
    void gate.then((ok) =>
      ok ? realFsync(descriptor, callback) : callback(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })),
    );
  });
  return {
    open: () => release(true),
    fail: () => {
      release(false);
      gate = Promise.resolve(false);
    },
    held: () => held,
    restore: () => spy.mockRestore(),
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('deferred durability in the file store', () => {
  it('inside a turn, a change resolves before it is on disk; the turn and every other reader wait for the disk', async () => {
    const dir = await tempDir();
    const turns = new DeferredDurability();
    const store = new JsonFileStore(dir, undefined, undefined, turns);
    await store.write('responses', 'set-1', { v: 1 });
    await store.write('state', 'conversation', { step: 2 });
    const fsyncs = holdFsyncs();
    try {
      const events: string[] = [];
      let heldTogether = 0;
      let outsider: Promise<unknown> = Promise.resolve();
      const turn = turns.within(async () => {
        expect(await store.update<{ v: number }>('responses', 'set-1', () => ({ v: 2 }))).toEqual({ v: 2 });
        await store.write('state', 'conversation', { step: 3 });
        events.push('both applied');
        // Someone outside the turn (the scheduler, say) reads the record: it must not see v 2 before it is kept.
        outsider = store.read('responses', 'set-1').then((value) => events.push(`outsider read ${JSON.stringify(value)}`));
        const settled = turns.settled().then(() => events.push('settled'));
        try {
          // Written one after the other, the second fsync would never come while the first is held.
          for (let waited = 0; fsyncs.held() < 2 && waited < 2000; waited += 1) await new Promise((resolve) => setTimeout(resolve, 1));
          heldTogether = fsyncs.held();
          events.push('disk released');
        } finally {
          // Released whatever happens: the turn waits for these writes before it ends.
          fsyncs.open();
        }
        await settled;
      });
      await turn;
      await outsider;
      // Both files were being written side by side: their fsyncs were held together.
      expect(heldTogether).toBe(2);
      expect(events.slice(0, 2)).toEqual(['both applied', 'disk released']);
      expect(events).toContain('settled');
      expect(events).toContain('outsider read {"v":2}');
      expect(await new JsonFileStore(dir).read('responses', 'set-1')).toEqual({ v: 2 });
      expect(await new JsonFileStore(dir).read('state', 'conversation')).toEqual({ step: 3 });
    } finally {
      fsyncs.restore();
    }
  });

  it('a write that fails makes the turn fail and leaves the stored record as it was, for every reader', async () => {
    const dir = await tempDir();
    const turns = new DeferredDurability();
    const store = new JsonFileStore(dir, undefined, undefined, turns);
    await store.write('responses', 'set-1', { v: 1 });
    const fsyncs = holdFsyncs();
    fsyncs.fail();
    try {
      await expect(
        turns.within(async () => {
          await store.update('responses', 'set-1', () => ({ v: 2 }));
          await turns.settled();
        }),
      ).rejects.toThrow('EIO');
      // Outside a turn the failure comes from the change itself.
      await expect(store.write('responses', 'set-1', { v: 3 })).rejects.toThrow('EIO');
    } finally {
      fsyncs.restore();
    }
    // The cached copy is not the value that failed to be kept.
    expect(await store.read('responses', 'set-1')).toEqual({ v: 1 });
    expect(await new JsonFileStore(dir).read('responses', 'set-1')).toEqual({ v: 1 });
  });

  it('a listing inside the turn sees a record the turn has just created', async () => {
    const dir = await tempDir();
    const turns = new DeferredDurability();
    const store = new JsonFileStore(dir, undefined, undefined, turns);
    await store.write('rounds', 'old', { n: 1 });
    await turns.within(async () => {
      await store.write('rounds', 'new', { n: 2 });
      expect((await store.list<{ n: number }>('rounds')).map((record) => record.key).sort()).toEqual(['new', 'old']);
      expect(await store.count('rounds')).toBe(2);
    });
  });

  it('a change that throws is refused at once and writes nothing', async () => {
    const dir = await tempDir();
    const turns = new DeferredDurability();
    const store = new JsonFileStore(dir, undefined, undefined, turns);
    await store.write('state', 'k', { eTag: 'a' });
    await turns.within(async () => {
      await expect(
        store.update('state', 'k', () => {
          throw new Error('eTag conflict');
        }),
      ).rejects.toThrow('eTag conflict');
      await turns.settled();
    });
    expect(await new JsonFileStore(dir).read('state', 'k')).toEqual({ eTag: 'a' });
  });
});

describe('the bot and its turn writes', () => {
  /** An engine that only says hello: the turn's own work does not matter here. */
  function helloEngine(): ConversationEngine {
    return {
      id: 'main',
      runTurn: async (context) => {
        await context.sendActivity('hallo');
      },
    };
  }

  it('sends no reply before the turn writes are settled', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const events: string[] = [];
    const writes: TurnWrites = {
      within: async (work) => {
        events.push('turn begins');
        const result = await work();
        events.push('turn ends');
        return result;
      },
      settled: async () => {
        events.push('waiting for the disk');
        await gate;
        events.push('writes on disk');
      },
    };
    const storage = new MemoryStorage();
    const bot = new AllianceBot(new ConversationState(storage), new UserState(storage), helloEngine(), writes);
    const adapter = new TestAdapter(async (context) => {
      await bot.run(context);
    });
    adapter.onTurnError = async (_context, error) => {
      events.push(`error ${String(error)}`);
    };
    // What really leaves the bot: the adapter's own send, after every handler of the turn.
    const sent: string[] = [];
    const send = adapter.sendActivities.bind(adapter);
    adapter.sendActivities = async (context, activities) => {
      for (const activity of activities) if (activity.type === ActivityTypes.Message) events.push(`sent ${activity.text ?? ''}`);
      sent.push(...activities.map((activity) => activity.text ?? ''));
      return send(context, activities);
    };
    const turn = adapter.receiveActivity('hoi');
    for (let i = 0; i < 20; i += 1) await tick();
    expect(sent).toEqual([]);
    release();
    await turn;
    expect(events).toEqual(['turn begins', 'waiting for the disk', 'writes on disk', 'sent hallo', 'turn ends']);
  });
});
