/**
 * One scheduler tick as the stored rounds grow: seeds ROUNDS rounds (default 10,000) through the
 * file round repository (so the indexes are kept), 3 of them past their deadline and 1 past the
 * retention period, then runs `RoundProgress.tick` on a fresh store (nothing cached) with the
 * due-time index, and again on a copy without its marker (the scan it falls back to, which is what
 * the scheduler did before the index). Prints the time and the files read by each; asserts nothing.
 *
 * Run: `npm run bench:scheduler` (ROUNDS=2000 for a quick one).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../services/questionnaire/itemBank';
import { QuestionnaireService } from '../services/questionnaire/questionnaireService';
import type { Round } from '../services/rounds/round';
import type { RoundNotifier } from '../services/rounds/roundNotifier';
import { RoundProgress } from '../services/rounds/roundProgress';
import { RoundService } from '../services/rounds/roundService';
import { FileResponseSetRepository } from '../storage/fileResponseSetRepository';
import { FileRoundRepository } from '../storage/fileRoundRepository';
import { JsonFileStore } from '../storage/jsonFileStore';
import { RoundDueIndex } from '../storage/roundDueIndex';

const DAY = 86_400_000;
const NOW = new Date('2026-12-03T10:00:00.000Z');
const BATCH = 100;

function round(i: number, deadlineInDays: number, overrides: Partial<Round> = {}): Round {
  const deadline = new Date(Date.parse('2026-12-03T00:00:00.000Z') + deadlineInDays * DAY);
  return {
    id: `round-${i}`,
    professionalId: `pro-${i % 250}`,
    clientLabel: `K-${i}`,
    domain: null,
    form: 'short',
    appointmentDate: new Date(deadline.getTime() + DAY).toISOString().slice(0, 10),
    deadline: deadline.toISOString(),
    status: 'open',
    createdAt: '2026-11-01T10:00:00.000Z',
    invitation: { codeHash: `c${i}`, linkTokenHash: `l${i}`, expiresAt: deadline.toISOString(), usedAt: null, revokedAt: null },
    clientUserId: null,
    clientResponseSetId: null,
    professionalResponseSetId: null,
    previousRoundId: null,
    summarySentAt: null,
    reminderSentAt: null,
    ...overrides,
  };
}

/** Sends nothing; the bench measures finding and claiming what is due. */
const quietNotifier: RoundNotifier = {
  sendSummary: async () => true,
  sendReminder: async () => true,
  sendProfessionalReminder: async () => true,
};

async function seed(dir: string, count: number): Promise<void> {
  const repo = new FileRoundRepository(new JsonFileStore(dir));
  const rounds: Round[] = [];
  // Weeks to more than a year from their deadline.
  for (let i = 0; i < count - 4; i += 1) rounds.push(round(i, 20 + (i % 480)));
  for (const [n, days] of [-1, -2, -1].entries()) rounds.push(round(count - 4 + n, days));
  rounds.push(round(count, -400, { summarySentAt: '2025-11-01T00:00:00.000Z' }));
  for (let start = 0; start < rounds.length; start += BATCH) {
    await Promise.all(rounds.slice(start, start + BATCH).map((each) => repo.create(each)));
    if (start % 2000 === 0) process.stderr.write(`\rseeded ${start.toLocaleString('en')} rounds`);
  }
  process.stderr.write('\n');
}

async function timedTick(dir: string): Promise<{ ms: number; filesRead: number; summaries: number; deleted: number }> {
  const store = new JsonFileStore(dir);
  const now = (): Date => NOW;
  const rounds = new RoundService({
    rounds: new FileRoundRepository(store),
    now,
    newId: () => 'x',
    random: randomBytes,
    invitationTtlDays: 14,
  });
  const questionnaire = new QuestionnaireService(
    loadItemBank(DEFAULT_ITEM_BANK_PATH),
    new FileResponseSetRepository(store),
    now,
    () => 's',
  );
  const progress = new RoundProgress({ rounds, questionnaire, notifier: quietNotifier, now, reminderDaysBefore: 2, retentionDays: 365 });
  const readFile = fs.readFile.bind(fs);
  let filesRead = 0;
  // Counts every file the tick reads (records, index records, attempts at missing ones).
  fs.readFile = ((...args: Parameters<typeof fs.readFile>) => {
    filesRead += 1;
    return readFile(...args);
  }) as typeof fs.readFile;
  try {
    const started = process.hrtime.bigint();
    const result = await progress.tick();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { ms, filesRead, summaries: result.summaries, deleted: result.deleted };
  } finally {
    fs.readFile = readFile;
  }
}

async function main(): Promise<void> {
  const count = Number(process.env.ROUNDS ?? 10_000);
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'scheduler-bench-'));
  try {
    const indexed = path.join(root, 'indexed');
    const scanned = path.join(root, 'scanned');
    await seed(indexed, count);
    await fs.cp(indexed, scanned, { recursive: true });
    await new JsonFileStore(scanned).delete(RoundDueIndex.COLLECTION, 'built');
    for (const [name, dir] of [
      ['due-time index', indexed],
      ['full scan (no index marker)', scanned],
    ] as const) {
      const tick = await timedTick(dir);
      console.log(
        `${count.toLocaleString('en')} rounds, ${name}: tick ${tick.ms.toFixed(1)} ms, ${tick.filesRead.toLocaleString('en')} files read, ${tick.summaries} summaries, ${tick.deleted} deleted`,
      );
    }
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
