import type { Round } from '../services/rounds/round';
import { FileRoundRepository, indexEntries, type IndexEntry } from './fileRoundRepository';
import type { CorruptFile, JsonFileStore } from './jsonFileStore';
import { RoundDueIndex } from './roundDueIndex';

export interface IndexRepair {
  collection: string;
  /** Records written because they were missing or did not match the rounds. */
  fixed: number;
  /** Records deleted because no round needs them (left alone while a round file is corrupt). */
  removed: number;
}

export interface StoreCheckReport {
  files: number;
  rounds: number;
  /** Left untouched: a person restores them from a backup or removes them. */
  corrupt: CorruptFile[];
  indexes: IndexRepair[];
}

/** How many files `checkFileStore` will read: a progress bar's total (reads names only). */
export async function recordFileCount(store: JsonFileStore): Promise<number> {
  let total = 0;
  for (const collection of await store.collections()) total += await store.count(collection);
  return total;
}

/**
 * `npm run admin -- check-store`: reads every file once (the scrub start-up no longer does), reports
 * the ones that do not parse, and makes the derived indexes (`round-index`, the due-time index
 * `round-due`) match the rounds exactly, then marks the due-time index built.
 *
 * @remarks Run it while the bot is stopped: a round written meanwhile could have its fresh entries
 * taken for stale ones. While a round file is corrupt its entries cannot be known, so nothing is
 * removed from the indexes then (only missing entries are added); run it again after restoring it.
 */
export async function checkFileStore(store: JsonFileStore, now: Date, onFile: () => void = () => undefined): Promise<StoreCheckReport> {
  const corrupt: CorruptFile[] = [];
  const roundIndex = new Map<string, { kind: IndexEntry['kind']; members: Set<string> }>();
  const dueBuckets = new Map<string, Set<string>>();
  const stored = new Map<string, Map<string, unknown>>([
    [FileRoundRepository.INDEX, new Map()],
    [RoundDueIndex.COLLECTION, new Map()],
  ]);
  let files = 0;
  let rounds = 0;
  let corruptRounds = false;
  for (const collection of await store.collections()) {
    for await (const file of store.scan<unknown>(collection)) {
      files += 1;
      onFile();
      if (!file.record) {
        corrupt.push({ filePath: file.filePath, problem: file.problem });
        if (collection === FileRoundRepository.COLLECTION) corruptRounds = true;
        continue;
      }
      stored.get(collection)?.set(file.record.key, file.record.value);
      if (collection !== FileRoundRepository.COLLECTION) continue;
      const round = file.record.value as Round;
      rounds += 1;
      for (const entry of indexEntries(round)) {
        const expected = roundIndex.get(entry.key) ?? { kind: entry.kind, members: new Set<string>() };
        if (entry.kind === 'pointer') expected.members.clear();
        expected.members.add(entry.member);
        roundIndex.set(entry.key, expected);
      }
      for (const bucket of RoundDueIndex.bucketsOf(round)) dueBuckets.set(bucket, (dueBuckets.get(bucket) ?? new Set()).add(round.id));
    }
  }

  const expectedRoundIndex = new Map<string, unknown>();
  for (const [key, { kind, members }] of roundIndex) {
    const sorted = [...members].sort();
    expectedRoundIndex.set(
      key,
      kind === 'pointer' ? { roundId: sorted[0] } : kind === 'list' ? { roundIds: sorted } : { positions: sorted },
    );
  }
  const keep = new Set([RoundDueIndex.BUILT_MARKER]);
  const indexes = [
    await reconcile(store, FileRoundRepository.INDEX, expectedRoundIndex, stored.get(FileRoundRepository.INDEX), new Set(), !corruptRounds),
    await reconcile(
      store,
      RoundDueIndex.COLLECTION,
      RoundDueIndex.expectedRecords(dueBuckets),
      stored.get(RoundDueIndex.COLLECTION),
      keep,
      !corruptRounds,
    ),
  ];
  // Built even beside a corrupt round: that round cannot be read by anyone until it is restored.
  await new RoundDueIndex(store).markBuilt(now);
  return { files, rounds, corrupt, indexes };
}

/** Writes what is missing or different, and deletes what nobody needs (when `removeStale`). */
async function reconcile(
  store: JsonFileStore,
  collection: string,
  expected: Map<string, unknown>,
  current: Map<string, unknown> = new Map(),
  keep: Set<string>,
  removeStale: boolean,
): Promise<IndexRepair> {
  const repair: IndexRepair = { collection, fixed: 0, removed: 0 };
  for (const [key, value] of expected) {
    if (sameRecord(current.get(key), value)) continue;
    await store.write(collection, key, value);
    repair.fixed += 1;
  }
  if (!removeStale) return repair;
  for (const key of current.keys()) {
    if (expected.has(key) || keep.has(key)) continue;
    await store.delete(collection, key);
    repair.removed += 1;
  }
  return repair;
}

/** Lists of ids compare as sets: their order carries no meaning. */
function sameRecord(stored: unknown, expected: unknown): boolean {
  return JSON.stringify(normalised(stored)) === JSON.stringify(normalised(expected));
}

function normalised(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, field]) => [key, Array.isArray(field) ? [...(field as unknown[])].map(String).sort() : field]),
  );
}
