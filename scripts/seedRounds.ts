/**
 * @packageDocumentation
 * Fills a data folder with many stored rounds, for the benchmarks at scale:
 * `npm run seed:rounds -- [--rounds 100000] [--concurrency 8]` (into `DATA_DIR`, as the server reads it).
 *
 * @remarks Everything goes through the same services and repositories as the bot, so the files are
 * the bot's own. The spread looks like a year of use: about 25 rounds per professional, a few rounds
 * per client label (so trends have a previous round), appointments from 11 months ago to 6 weeks
 * ahead. Seven in ten clients joined; of those most answered everything, some stopped halfway, some
 * never started; half the professionals filled in their own side. Rounds past their deadline have
 * had their summary and reminders, as a running bot would have sent them, so a scheduler tick at
 * the seeded state finds only the work of today. Rounds are made `concurrency` at a time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { ConfigError, loadDotEnv, parseConfig } from '../config';
import { DEFAULT_ITEM_BANK_PATH, ItemBank, loadItemBank } from '../services/questionnaire/itemBank';
import type { ItemAnswer, ResponseSet } from '../services/questionnaire/responseSet';
import { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import type { ProfessionalRepository } from '../services/professionals/professionalRepository';
import type { ResponseSetRepository } from '../services/questionnaire/responseSetRepository';
import type { Round } from '../services/rounds/round';
import type { RoundRepository } from '../services/rounds/roundRepository';
import { RoundService } from '../services/rounds/roundService';
import { DOMAINS, type Perspective, type ScaleValue } from '../services/vocabulary';
import { FileProfessionalRepository } from '../storage/fileProfessionalRepository';
import { FileResponseSetRepository } from '../storage/fileResponseSetRepository';
import { FileRoundRepository } from '../storage/fileRoundRepository';
import { JsonFileStore } from '../storage/jsonFileStore';
import { ProgressBar } from './progressBar';

const DAY_MS = 86_400_000;
const ROUNDS_PER_PROFESSIONAL = 25;
const ROUNDS_PER_CLIENT_LABEL = 3;

/** Where the rounds go: the embedded store under `dataDir` by default, or other repositories (PostgreSQL). */
export interface SeedStores {
  rounds: RoundRepository;
  responseSets: ResponseSetRepository;
  professionals: ProfessionalRepository;
}

export interface SeedOptions {
  dataDir: string;
  stores?: SeedStores;
  rounds: number;
  concurrency?: number;
  /** The moment the spread is around (the bot's "now" when it reads the data). */
  now?: Date;
  itemBank?: ItemBank;
  /** Told after every round made. */
  onRound?: () => void;
}

export interface SeedResult {
  rounds: number;
  professionals: number;
  joined: number;
  responseSets: number;
  ms: number;
}

/** A fixed pseudo-random sequence, so two seedings of the same size have the same spread. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export async function seedRounds(options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const store = new JsonFileStore(path.join(options.dataDir, 'records'));
  const roundRepository = options.stores?.rounds ?? new FileRoundRepository(store);
  const responseSets = options.stores?.responseSets ?? new FileResponseSetRepository(store);
  const itemBank = options.itemBank ?? loadItemBank(DEFAULT_ITEM_BANK_PATH);
  const random = sequence(options.rounds);
  const directory = new ProfessionalDirectory(
    options.stores?.professionals ?? new FileProfessionalRepository(store),
    () => now,
    () => randomUUID(),
    randomBytes,
  );

  const professionalCount = Math.max(1, Math.ceil(options.rounds / ROUNDS_PER_PROFESSIONAL));
  const professionalIds: string[] = [];
  await inBatches(professionalCount, options.concurrency ?? 8, async (index) => {
    const { professional } = await directory.addWithAccessLink(`Seeded professional ${index + 1}`);
    professionalIds[index] = professional.id;
  });

  const result: SeedResult = { rounds: 0, professionals: professionalCount, joined: 0, responseSets: 0, ms: 0 };

  const answeredSet = (round: Round, perspective: Perspective, respondentId: string, share: number, at: Date): ResponseSet => {
    const items = itemBank.items(round.form, perspective);
    const answered = Math.round(items.length * share);
    const answers: Record<string, ItemAnswer> = {};
    items.slice(0, answered).forEach((item, index) => {
      answers[item.id] = {
        itemId: item.id,
        value: (((index * 7 + round.id.charCodeAt(0)) % 5) + 1) as ScaleValue,
        answeredAt: at.toISOString(),
        version: index,
      };
    });
    const complete = answered === items.length;
    return {
      id: randomUUID(),
      respondentId,
      perspective,
      questionnaireId: itemBank.questionnaireId(round.form),
      questionnaireVersion: itemBank.version,
      form: round.form,
      locale: random() < 0.85 ? 'nl' : 'en',
      register: perspective === 'client' ? 'simple' : 'standard',
      domain: round.domain,
      roundId: round.id,
      answers,
      commentsShared: random() < 0.5,
      status: complete ? 'completed' : 'in-progress',
      version: answered,
      startedAt: at.toISOString(),
      updatedAt: at.toISOString(),
      completedAt: complete ? at.toISOString() : null,
    };
  };

  await inBatches(options.rounds, options.concurrency ?? 8, async (index) => {
    // Appointments from about 11 months ago (inside the default retention of a year) to 6 weeks ahead.
    const createdAt = new Date(now.getTime() - Math.floor(random() * 330 * DAY_MS));
    const appointment = new Date(Math.min(createdAt.getTime() + (3 + Math.floor(random() * 42)) * DAY_MS, now.getTime() + 42 * DAY_MS));
    const professionalId = professionalIds[index % professionalCount];
    const clientNumber = Math.floor(index / professionalCount / ROUNDS_PER_CLIENT_LABEL);
    const service = new RoundService({
      rounds: roundRepository,
      now: () => createdAt,
      newId: () => randomUUID(),
      random: randomBytes,
      invitationTtlDays: 14,
    });
    const { round } = await service.create({
      professionalId,
      clientLabel: `K-${clientNumber + 1}`,
      domain: DOMAINS[index % DOMAINS.length],
      form: random() < 0.7 ? 'full' : 'short',
      appointmentDate: isoDay(appointment),
    });
    const deadlinePassed = Date.parse(round.deadline) <= now.getTime();
    const joinedAt = new Date(Math.min(createdAt.getTime() + DAY_MS, now.getTime()));
    const joins = random() < 0.7 && joinedAt.getTime() < Date.parse(round.invitation.expiresAt);
    const clientShare = random();
    const professionalAnswers = random() < 0.5;

    const clientUserId = joins ? `seeded-client-${index}` : null;
    const clientSet =
      clientUserId && clientShare > 0.2 ? answeredSet(round, 'client', clientUserId, clientShare > 0.35 ? 1 : 0.5, joinedAt) : null;
    const professionalSet = professionalAnswers ? answeredSet(round, 'professional', professionalId, 1, joinedAt) : null;
    for (const set of [clientSet, professionalSet]) if (set) await responseSets.create(set);
    const bothDone = clientSet?.status === 'completed' && professionalSet?.status === 'completed';
    const remindersDue = Date.parse(round.deadline) - 3 * DAY_MS <= now.getTime();
    // What a running bot would have done by now: summaries and reminders sent, once.
    const sentAt = new Date(Math.min(Date.parse(round.deadline), now.getTime())).toISOString();
    const done = bothDone || deadlinePassed || remindersDue;
    if (joins || professionalSet || done) {
      await roundRepository.update(round.id, (current) => ({
        ...current,
        status: bothDone ? 'complete' : current.status,
        clientUserId,
        clientResponseSetId: clientSet?.id ?? null,
        professionalResponseSetId: professionalSet?.id ?? null,
        invitation: joins ? { ...current.invitation, usedAt: joinedAt.toISOString() } : current.invitation,
        summarySentAt: bothDone || deadlinePassed ? sentAt : null,
        reminderSentAt: done && clientUserId ? sentAt : null,
        professionalReminderSentAt: done ? sentAt : null,
      }));
    }
    if (joins) result.joined += 1;
    result.responseSets += (clientSet ? 1 : 0) + (professionalSet ? 1 : 0);
    result.rounds += 1;
    options.onRound?.();
  });
  await store.flush();
  result.ms = Date.now() - started;
  return result;
}

/** Runs `work(0..count-1)` with at most `concurrency` at a time. */
async function inBatches(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
}

function option(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number`);
  return value;
}

async function main(): Promise<void> {
  await loadDotEnv();
  const config = parseConfig(process.env);
  const argv = process.argv.slice(2);
  const rounds = option(argv, 'rounds', 100_000);
  const concurrency = option(argv, 'concurrency', 8);
  const bar = new ProgressBar(process.stderr, rounds, 'rounds');
  const result = await seedRounds({ dataDir: config.dataDir, rounds, concurrency, onRound: () => bar.tick() });
  bar.finish();
  console.log(
    `${result.rounds} rounds (${result.professionals} professionals, ${result.joined} clients joined, ${result.responseSets} response sets) in ${(result.ms / 1000).toFixed(1)} s into ${config.dataDir}`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
    process.exit(1);
  });
}
