/**
 * The research CSV export at scale: seeds ROUNDS rounds (default 100,000) with both response sets
 * straight through the file store, in batches, then streams `npm run admin -- export --format csv`
 * in a fresh child process and prints its time, peak RSS and RSS along the way (flat memory means
 * the samples stay level while the rounds go up). Prints figures, asserts nothing.
 *
 * Run: `npx ts-node --transpile-only bench/export.bench.ts` (ROUNDS=10000 for a quick one).
 * Needs about 1 GB of disk under the temporary folder while it runs; removes it afterwards.
 */
import { execFile } from 'node:child_process';
import { createReadStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AccessLog } from '../services/access/accessLog';
import { DataCommands, fileDataRecords } from '../scripts/dataCommands';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank, type ItemBank } from '../services/questionnaire/itemBank';
import type { ResponseSet } from '../services/questionnaire/responseSet';
import type { Round } from '../services/rounds/round';
import { FORMS, type Perspective, type ScaleValue } from '../services/vocabulary';
import { JsonFileStore } from '../storage/jsonFileStore';

const BATCH = 500;
const CHILD_FLAG = '--export-child';

function round(i: number): Round {
  const day = new Date(Date.UTC(2025, 0, 1) + (i % 600) * 86400000).toISOString().slice(0, 10);
  return {
    id: `round-${i}`,
    professionalId: `pro-${i % 250}`,
    clientLabel: `K-${Math.floor(i / 3)}`,
    domain: 'probation',
    form: FORMS[i % 2],
    appointmentDate: day,
    deadline: `${day}T00:00:00.000Z`,
    status: 'complete',
    createdAt: `${day}T08:00:00.000Z`,
    invitation: { codeHash: `c${i}`, linkTokenHash: `l${i}`, expiresAt: `${day}T00:00:00.000Z`, usedAt: null, revokedAt: null },
    clientUserId: `webchat:user-${Math.floor(i / 3)}`,
    clientResponseSetId: `set-${i}-client`,
    professionalResponseSetId: `set-${i}-professional`,
    // Three rounds per relationship, so the round number follows a short chain.
    previousRoundId: i % 3 === 0 ? null : `round-${i - 1}`,
    summarySentAt: `${day}T00:00:00.000Z`,
    reminderSentAt: null,
  };
}

function side(bank: ItemBank, of: Round, perspective: Perspective, i: number): ResponseSet {
  const at = `${of.appointmentDate}T07:00:00.000Z`;
  const answers: ResponseSet['answers'] = {};
  for (const [n, item] of bank.items(of.form, perspective).entries()) {
    const value = (n + i) % 7 === 0 ? null : ((((n * 7 + i) % 5) + 1) as ScaleValue);
    answers[item.id] = { itemId: item.id, value, answeredAt: at };
  }
  return {
    id: perspective === 'client' ? (of.clientResponseSetId ?? '') : (of.professionalResponseSetId ?? ''),
    respondentId: perspective === 'client' ? (of.clientUserId ?? '') : of.professionalId,
    perspective,
    questionnaireId: bank.questionnaireId(of.form),
    questionnaireVersion: bank.version,
    form: of.form,
    locale: 'nl',
    register: perspective === 'client' ? 'simple' : 'standard',
    domain: of.domain,
    roundId: of.id,
    answers,
    commentsShared: false,
    status: 'completed',
    startedAt: at,
    updatedAt: at,
    completedAt: at,
  };
}

async function seed(dataDir: string, count: number): Promise<number> {
  const bank = loadItemBank(DEFAULT_ITEM_BANK_PATH);
  // A small cache: seeding writes each file once, so keeping instances would only cost memory.
  const store = new JsonFileStore(path.join(dataDir, 'records'), 100);
  const started = Date.now();
  for (let first = 0; first < count; first += BATCH) {
    const writes: Promise<void>[] = [];
    for (let i = first; i < Math.min(count, first + BATCH); i += 1) {
      const stored = round(i);
      writes.push(store.write('rounds', stored.id, stored));
      writes.push(store.write('responses', `set-${i}-client`, side(bank, stored, 'client', i)));
      writes.push(store.write('responses', `set-${i}-professional`, side(bank, stored, 'professional', i)));
    }
    await Promise.all(writes);
  }
  await store.flush();
  return Date.now() - started;
}

/** In the child: run the export command itself, sampling RSS every 2 seconds. */
async function exportChild(dataDir: string, out: string): Promise<void> {
  const samples: number[] = [];
  const noLog: AccessLog = { record: async () => undefined, read: async function* () {}, redact: async () => 0 };
  const commands = new DataCommands({
    records: fileDataRecords(new JsonFileStore(path.join(dataDir, 'records'))),
    bank: () => loadItemBank(DEFAULT_ITEM_BANK_PATH),
    accessLog: noLog,
    now: () => new Date(),
    login: 'bench',
    out: () => undefined,
    err: (text) => console.error(text),
    progress: { isTTY: false, write: () => true },
    ask: async () => null,
  });
  const started = process.hrtime.bigint();
  const sampler = setInterval(() => samples.push(Math.round(process.memoryUsage().rss / 1048576)), 2000);
  const code = await commands.run('export', ['--format', 'csv', '--out', out]);
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ code, seconds, peakMb, rssSamplesMb: samples }));
}

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file)) for (const byte of chunk as Buffer) if (byte === 10) lines += 1;
  return lines;
}

async function main(): Promise<void> {
  if (process.argv[2] === CHILD_FLAG) {
    await exportChild(process.argv[3], process.argv[4]);
    return;
  }
  const count = Number(process.env.ROUNDS ?? 100_000);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-export-'));
  try {
    console.log(`seeding ${count.toLocaleString('en')} rounds with both response sets (${(3 * count).toLocaleString('en')} files) …`);
    const seedMs = await seed(dataDir, count);
    console.log(`seeded in ${(seedMs / 1000).toFixed(1)} s (${Math.round((3 * count) / (seedMs / 1000)).toLocaleString('en')} records/s)`);

    const out = path.join(dataDir, 'pairs.csv');
    const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, __filename, CHILD_FLAG, dataDir, out], {
      maxBuffer: 1 << 20,
    });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      code: number;
      seconds: number;
      peakMb: number;
      rssSamplesMb: number[];
    };
    const size = (await fs.stat(out)).size;
    const rows = (await countLines(out)) - 1;
    console.log(
      `export --format csv: exit ${result.code}, ${result.seconds.toFixed(1)} s, ${Math.round(count / result.seconds).toLocaleString('en')} rounds/s`,
    );
    console.log(`  ${rows.toLocaleString('en')} rows, ${(size / 1048576).toFixed(1)} MB`);
    console.log(`  peak RSS ${result.peakMb.toFixed(0)} MB; RSS every 2 s (MB): ${result.rssSamplesMb.join(' ')}`);
  } finally {
    if (process.env.KEEP_BENCH_DATA) console.log(`kept ${dataDir}`);
    else await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
