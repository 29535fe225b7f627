import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileAccessLog } from '../storage/fileAccessLog';
import { FakeClock } from './fakes/clock';

describe('FileAccessLog retention: kept as long as rounds are', () => {
  it.each([
    // Retention 365 days, now 2026-12-15: a month whose last day is more than 365 days ago goes.
    [365, ['2025-11.jsonl', '2025-12.jsonl', '2026-12.jsonl'], ['2025-12.jsonl', '2026-12.jsonl']],
    // Retention 0 keeps everything.
    [0, ['2020-01.jsonl', '2026-12.jsonl'], ['2020-01.jsonl', '2026-12.jsonl']],
  ])('retention %i days: month files %j leave %j', async (retentionDays, before, after) => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'access-log-'));
    const clock = new FakeClock('2026-12-15T10:00:00.000Z');
    const log = new FileAccessLog(dir, retentionDays, clock.now);
    for (const name of before) {
      const at = `${name.slice(0, 7)}-10T10:00:00.000Z`;
      await fs.writeFile(path.join(dir, name), `${JSON.stringify({ at, who: 'admin:x', what: 'admin-command', roundId: null })}\n`);
    }
    await log.record({ at: clock.now().toISOString(), who: 'admin:x', what: 'admin-command', roundId: null, detail: 'list-professionals' });
    expect((await fs.readdir(dir)).sort()).toEqual(after);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
