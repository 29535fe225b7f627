import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openFileStores } from '../composition/fileStores';
import { createLogger } from '../logging/logger';
import { CorruptRecordError, JsonFileStore } from '../storage/jsonFileStore';
import { storedRound } from './helpers/exportFixture';
import { spyOnFileReads } from './helpers/fileReads';

async function dataDirWithABrokenSet(): Promise<{ dataDir: string; brokenFile: string }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'scale-stores-'));
  const store = new JsonFileStore(path.join(dataDir, 'records'));
  await store.write('responses', 'broken', { v: 1 });
  const [name] = await fs.readdir(path.join(dataDir, 'records', 'responses'));
  const brokenFile = path.join(dataDir, 'records', 'responses', name);
  await fs.writeFile(brokenFile, '{"key": "bro');
  return { dataDir, brokenFile };
}

const OPTIONS = { retentionDays: 0, now: (): Date => new Date('2026-12-03T12:00:00Z') };

describe('opening the embedded stores', () => {
  it('reads no record at start-up; a corrupt one is logged when first read, and left untouched', async () => {
    const { dataDir, brokenFile } = await dataDirWithABrokenSet();
    const lines: string[] = [];
    const reads = spyOnFileReads();
    const { stores } = await openFileStores(
      dataDir,
      createLogger('info', (line) => lines.push(line)),
      OPTIONS,
    );
    const recordReads = reads.files().filter((file) => file.startsWith(dataDir));
    reads.restore();
    // Only the due-time index's marker (a new store gets it) and the signing key; never the records themselves.
    const folders = new Set(recordReads.map((file) => path.dirname(path.relative(dataDir, file))));
    expect([...folders].sort()).toEqual([path.join('records', 'round-due'), 'secrets']);
    expect(lines.join('\n')).not.toContain('storage_corrupt');

    await expect(stores.responseSets.get('broken')).rejects.toBeInstanceOf(CorruptRecordError);
    await expect(stores.responseSets.get('broken')).rejects.toBeInstanceOf(CorruptRecordError);
    const reported = lines.filter((line) => line.includes('storage_corrupt_file'));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain(brokenFile);
    expect(await fs.readFile(brokenFile, 'utf8')).toBe('{"key": "bro');
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('warns when rounds from before the due-time index are there, until check-store built it', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'scale-stores-'));
    await new JsonFileStore(path.join(dataDir, 'records')).write('rounds', 'legacy', storedRound('legacy'));
    const lines: string[] = [];
    await openFileStores(
      dataDir,
      createLogger('info', (line) => lines.push(line)),
      OPTIONS,
    );
    expect(lines.join('\n')).toContain('round_due_index_missing');
    const fresh = await fs.mkdtemp(path.join(os.tmpdir(), 'scale-stores-'));
    const quiet: string[] = [];
    await openFileStores(
      fresh,
      createLogger('info', (line) => quiet.push(line)),
      OPTIONS,
    );
    expect(quiet.join('\n')).not.toContain('round_due_index_missing');
    await Promise.all([dataDir, fresh].map((dir) => fs.rm(dir, { recursive: true, force: true })));
  });
});
