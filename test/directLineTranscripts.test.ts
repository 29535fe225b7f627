import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DirectLineTranscripts, SEGMENT_SIZE } from '../server/directLineTranscripts';
import { JsonFileStore } from '../storage/jsonFileStore';

/** Transcripts written through the embedded store and read back by a fresh instance, as after a restart. */
describe('local Direct Line transcripts on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dl-transcripts-'));
  });

  const reopened = (): DirectLineTranscripts => new DirectLineTranscripts(new JsonFileStore(dir));
  const activity = (n: number): { id: string; type: string; text: string } => ({ id: `a${n}`, type: 'message', text: `m${n}` });

  it.each([1, SEGMENT_SIZE - 1, SEGMENT_SIZE, SEGMENT_SIZE + 1, 3 * SEGMENT_SIZE + 5])(
    'keeps %i activities and their watermarks across a restart',
    async (count) => {
      const transcripts = new DirectLineTranscripts(new JsonFileStore(dir));
      const watermarks: number[] = [];
      for (let n = 0; n < count; n += 1) {
        const { watermark, saved } = await transcripts.append('c1', activity(n));
        watermarks.push(watermark);
        await saved;
      }
      expect(watermarks).toEqual(Array.from({ length: count }, (_, n) => n + 1));
      const loaded = await reopened().get('c1');
      expect(loaded.base).toBe(0);
      expect(loaded.activities.map((a) => a.id)).toEqual(Array.from({ length: count }, (_, n) => `a${n}`));
    },
  );

  it('coalesces writes made while one runs, and loses none of them', async () => {
    const transcripts = new DirectLineTranscripts(new JsonFileStore(dir));
    const appended = await Promise.all(Array.from({ length: 40 }, (_, n) => transcripts.append('c1', activity(n))));
    await Promise.all(appended.map((a) => a.saved));
    expect((await reopened().get('c1')).activities).toHaveLength(40);
  });

  it('trims old activities: the watermark numbering stays, old segments leave the disk', async () => {
    const transcripts = new DirectLineTranscripts(new JsonFileStore(dir));
    for (let n = 0; n < 50; n += 1) await (await transcripts.append('c1', activity(n))).saved;
    await transcripts.trim('c1', 20);
    const loaded = await reopened().get('c1');
    expect(loaded.base).toBe(30);
    expect(loaded.activities.map((a) => a.id)).toEqual(Array.from({ length: 20 }, (_, n) => `a${n + 30}`));
    const segments = await fs.readdir(path.join(dir, 'directline-segments'));
    expect(segments.length).toBe(Math.ceil(50 / SEGMENT_SIZE) - Math.floor(30 / SEGMENT_SIZE));
  });

  it('replaces an activity in place (an update or a deletion keeps its watermark)', async () => {
    const transcripts = new DirectLineTranscripts(new JsonFileStore(dir));
    for (let n = 0; n < 20; n += 1) await (await transcripts.append('c1', activity(n))).saved;
    await transcripts.replace('c1', 3, { id: 'a3', type: 'message', text: 'changed' });
    const loaded = await reopened().get('c1');
    expect(loaded.activities[3]).toEqual({ id: 'a3', type: 'message', text: 'changed' });
    expect(loaded.activities).toHaveLength(20);
  });

  it('continues numbering where a client is when the transcript has nothing', async () => {
    const transcripts = new DirectLineTranscripts(new JsonFileStore(dir));
    await transcripts.skipTo('c1', 7);
    expect((await transcripts.append('c1', activity(7))).watermark).toBe(8);
    await transcripts.flush();
    const loaded = await reopened().get('c1');
    expect(loaded.base).toBe(7);
    expect(loaded.activities.map((a) => a.id)).toEqual(['a7']);
  });
});
