/**
 * @packageDocumentation
 * Data folders for benchmarks: empty, or with N seeded rounds (made once by `scripts/seedRounds.ts`
 * and kept under the system's temporary folder, since 100,000 rounds take minutes to make), plus
 * fresh rounds whose invitation codes the benchmark's clients type to join.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openPostgresStores } from '../../composition/postgresStores';
import { createLogger } from '../../logging/logger';
import { seedRounds, type SeedStores } from '../../scripts/seedRounds';
import { ProfessionalDirectory } from '../../services/professionals/professionalDirectory';
import { RoundService } from '../../services/rounds/roundService';
import { FileProfessionalRepository } from '../../storage/fileProfessionalRepository';
import { FileResponseSetRepository } from '../../storage/fileResponseSetRepository';
import { FileRoundRepository } from '../../storage/fileRoundRepository';
import { JsonFileStore } from '../../storage/jsonFileStore';
import { PROJECT_ROOT, temporaryDir } from './processes';

const SEEDED_MARKER = 'seeded.json';

/** A data folder with `rounds` stored rounds: a fresh empty one for 0, else the kept seeded one (made on first use). */
export async function dataDirWithRounds(rounds: number): Promise<string> {
  if (rounds === 0) return temporaryDir('empty');
  const dir = path.join(os.tmpdir(), 'bench-seeded', `r${rounds}`);
  try {
    await fs.access(path.join(dir, SEEDED_MARKER));
    return dir;
  } catch {
    /* not made yet */
  }
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  console.error(`seeding ${rounds} rounds into ${dir} (once; later runs reuse it)`);
  const result = await seedRounds({ dataDir: dir, rounds, concurrency: 16 });
  await fs.writeFile(path.join(dir, SEEDED_MARKER), JSON.stringify(result));
  console.error(`seeded in ${(result.ms / 1000).toFixed(1)} s`);
  return dir;
}

/** Rounds per bench professional: making a round looks through the professional's earlier rounds (for the trend). */
const ROUNDS_PER_PROFESSIONAL = 20;

/** The repositories the bench makes its rounds through, and how to let go of them. */
export interface BenchStores extends SeedStores {
  close(): Promise<void>;
}

export function fileStores(dataDir: string): BenchStores {
  const store = new JsonFileStore(path.join(dataDir, 'records'));
  return {
    rounds: new FileRoundRepository(store),
    responseSets: new FileResponseSetRepository(store),
    professionals: new FileProfessionalRepository(store),
    close: () => store.flush(),
  };
}

/** The PostgreSQL database at `databaseUrl`, migrated first (`npm run db:migrate`), through the composition's stores. */
export async function postgresStores(databaseUrl: string): Promise<BenchStores> {
  execFileSync('npm', ['run', '--silent', 'db:migrate'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: 'pipe',
  });
  const opened = await openPostgresStores(databaseUrl, createLogger('error'), {
    migrationsDir: path.join(PROJECT_ROOT, 'migrations'),
    retentionDays: 365,
    now: () => new Date(),
  });
  return { ...opened.stores, close: () => opened.close() };
}

/** Makes `count` open rounds (full form) and returns their invitation codes. */
export async function roundsToJoin(stores: BenchStores, count: number): Promise<string[]> {
  const now = (): Date => new Date();
  const directory = new ProfessionalDirectory(stores.professionals, now, () => randomUUID(), randomBytes);
  const rounds = new RoundService({ rounds: stores.rounds, now, newId: () => randomUUID(), random: randomBytes, invitationTtlDays: 14 });
  const appointmentDate = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  const codes: string[] = [];
  let professionalId = '';
  for (let index = 0; index < count; index += 1) {
    if (index % ROUNDS_PER_PROFESSIONAL === 0) professionalId = (await directory.addWithAccessLink('Bench professional')).professional.id;
    // Each its own label: no trend lookup over earlier rounds of the same client.
    const created = await rounds.create({ professionalId, clientLabel: `B-${index}`, domain: null, form: 'full', appointmentDate });
    codes.push(created.code);
  }
  return codes;
}

/** Codes for `count` clients, in the embedded store under `dataDir` (then flushed). */
export async function roundsToJoinInFolder(dataDir: string, count: number): Promise<string[]> {
  const stores = fileStores(dataDir);
  try {
    return await roundsToJoin(stores, count);
  } finally {
    await stores.close();
  }
}
