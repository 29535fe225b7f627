/**
 * @packageDocumentation
 * Administration of professionals: `npm run admin -- <command>`.
 *
 * @remarks Reads the same settings as the server (`.env`, then the environment, through `config.ts`),
 * so the printed link has the server's `PUBLIC_URL` (or `http://localhost:PORT`) and the professional
 * lands in the server's `<DATA_DIR>/records`. An access link is printed once when made and never
 * again: only its hash is stored.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { ConfigError, loadDotEnv, parseConfig, type AppConfig } from '../config';
import { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import {
  Professional,
  ProfessionalInputError,
  ProfessionalNotFoundError,
  ProfessionalRevokedError,
} from '../services/professionals/professional';
import type { ProfessionalRepository } from '../services/professionals/professionalRepository';
import { FileProfessionalRepository } from '../storage/fileProfessionalRepository';
import { assertSchemaCurrent, createPool, SchemaNotCurrentError } from '../storage/postgres/database';
import { PostgresProfessionalRepository } from '../storage/postgres/postgresProfessionalRepository';
import { PostgresAccessLog } from '../storage/postgres/postgresAccessLog';
import { accessLogDir, FileAccessLog } from '../storage/fileAccessLog';
import { JsonFileStore } from '../storage/jsonFileStore';
import { DATA_USAGE, DataCommands, dataCommandsFor, fileDataRecords, isDataCommand, postgresDataRecords } from './dataCommands';

export const ADMIN_USAGE = [
  'Usage: npm run admin -- <command>',
  '',
  '  add-professional "<name>"   add a professional and print their personal access link (shown only once)',
  "  revoke-professional <id>    stop a professional's access at once",
  '  rotate-link <id>            give a professional a new access link; the old one and its sessions stop working',
  '  list-professionals          list professionals: id, name, created, revoked (never links)',
  DATA_USAGE,
].join('\n');

export interface AdminDeps {
  directory: ProfessionalDirectory;
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Exports, a person's data, erasure and the access log; also notes every command in the access log. */
  data?: DataCommands;
}

/** Runs one admin command; resolves to the process exit code (0 done, 1 failed, 2 usage). */
export async function runAdmin(argv: string[], deps: AdminDeps): Promise<number> {
  const [command, ...args] = argv;
  const argument = args.join(' ').trim();
  if (command !== undefined) await deps.data?.recordCommand(command, args);
  if (deps.data && isDataCommand(command)) return deps.data.run(command, args);
  try {
    switch (command) {
      case 'add-professional':
        if (argument === '') return usage(deps, 'add-professional needs a name.');
        return await addProfessional(argument, deps);
      case 'revoke-professional':
        if (argument === '') return usage(deps, 'revoke-professional needs an id.');
        return await revokeProfessional(argument, deps);
      case 'rotate-link':
        if (argument === '') return usage(deps, 'rotate-link needs an id.');
        return await rotateLink(argument, deps);
      case 'list-professionals':
        return await listProfessionals(deps);
      case 'help':
      case '--help':
      case '-h':
        deps.out(ADMIN_USAGE);
        return 0;
      default:
        return usage(deps, command === undefined ? 'No command given.' : `Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof ProfessionalNotFoundError) {
      deps.err(`No professional with id ${error.professionalId}. See: npm run admin -- list-professionals`);
      return 1;
    }
    if (error instanceof ProfessionalRevokedError) {
      deps.err(`Professional ${error.professionalId} is revoked; a revoked professional gets no new link. Add them again if they return.`);
      return 1;
    }
    if (error instanceof ProfessionalInputError) {
      deps.err(`Cannot add the professional: ${error.message}.`);
      return 1;
    }
    throw error;
  }
}

function usage(deps: AdminDeps, problem: string): number {
  deps.err(`${problem}\n\n${ADMIN_USAGE}`);
  return 2;
}

function accessLink(publicUrl: string, secret: string): string {
  return `${publicUrl}/?pro=${secret}`;
}

function printLink(deps: AdminDeps, professional: Professional, secret: string): void {
  deps.out(
    [
      `Personal access link for ${professional.displayName} (${professional.id}):`,
      '',
      `  ${accessLink(deps.publicUrl, secret)}`,
      '',
      'It is shown only now and cannot be shown again. Store it safely (a password manager) and give it',
      'only to this professional: anyone with the link can act as them.',
      `Lost or leaked: npm run admin -- rotate-link ${professional.id}`,
    ].join('\n'),
  );
}

async function addProfessional(name: string, deps: AdminDeps): Promise<number> {
  const { professional, secret } = await deps.directory.addWithAccessLink(name);
  deps.out(`Added professional ${professional.id}.`);
  printLink(deps, professional, secret);
  return 0;
}

async function revokeProfessional(id: string, deps: AdminDeps): Promise<number> {
  const professional = await deps.directory.revoke(id);
  deps.out(
    `Revoked ${professional.displayName} (${professional.id}) as of ${professional.revokedAt ?? ''}. Their access no longer works, and their open chat and tab sessions have ended.`,
  );
  return 0;
}

async function rotateLink(id: string, deps: AdminDeps): Promise<number> {
  const { secret } = await deps.directory.rotateAccessLink(id);
  const professional = await deps.directory.get(id);
  if (!professional) throw new ProfessionalNotFoundError(id);
  deps.out('The old access link no longer works, and every chat or tab session made with it has ended.');
  printLink(deps, professional, secret);
  return 0;
}

async function listProfessionals(deps: AdminDeps): Promise<number> {
  const professionals = await deps.directory.list();
  if (professionals.length === 0) {
    deps.out('No professionals yet. Add one with: npm run admin -- add-professional "<name>"');
    return 0;
  }
  const rows = professionals
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((p) => [p.id, p.displayName, p.createdAt, p.revokedAt ?? '-', p.teams ? 'teams' : p.accessSecretHash ? 'link' : '-']);
  deps.out(table([['id', 'name', 'created', 'revoked', 'sign-in'], ...rows]));
  return 0;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<void> {
  await loadDotEnv();
  let exitCode: number;
  try {
    const config = parseConfig(process.env);
    // With PORT=0 the server picks its port at start-up: a link made here could not know it.
    if (config.port === 0 && !process.env.PUBLIC_URL?.trim()) throw new ConfigError('PUBLIC_URL', 'must be set when PORT is 0');
    const argv = process.argv.slice(2);
    if (config.databaseUrl !== null) {
      console.error(`Using the server's settings (.env and environment): PUBLIC_URL ${config.publicUrl}, DATABASE_URL (PostgreSQL)`);
      exitCode = await runAdminOnPostgres(argv, config, config.databaseUrl);
    } else {
      console.error(`Using the server's settings (.env and environment): PUBLIC_URL ${config.publicUrl}, DATA_DIR ${config.dataDir}`);
      const store = new JsonFileStore(path.join(config.dataDir, 'records'));
      exitCode = await runAdmin(argv, {
        directory: directoryOn(new FileProfessionalRepository(store)),
        publicUrl: config.publicUrl,
        out: (text) => console.log(text),
        err: (text) => console.error(text),
        data: dataCommandsFor(
          config,
          fileDataRecords(store),
          new FileAccessLog(accessLogDir(config.dataDir), config.retentionDays, () => new Date()),
          () => new Date(),
        ),
      });
      await store.flush();
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    exitCode = 1;
  }
  process.exitCode = exitCode;
}

function directoryOn(repository: ProfessionalRepository): ProfessionalDirectory {
  return new ProfessionalDirectory(
    repository,
    () => new Date(),
    () => randomUUID(),
    (bytes) => randomBytes(bytes),
  );
}

/**
 * The commands on the database the server uses: professionals, exports and the access log. A
 * person's data and erasure (`subject-export`, `subject-erase`) read the embedded store only, and
 * refuse here rather than run against the wrong data.
 */
async function runAdminOnPostgres(argv: string[], config: AppConfig, databaseUrl: string): Promise<number> {
  const pool = createPool(databaseUrl, (error) => console.error(`Database connection failed: ${error.message}`), 2);
  try {
    await assertSchemaCurrent(pool, path.join(__dirname, '..', 'migrations'));
    const now = (): Date => new Date();
    return await runAdmin(argv, {
      directory: directoryOn(new PostgresProfessionalRepository(pool)),
      publicUrl: config.publicUrl,
      out: (text) => console.log(text),
      err: (text) => console.error(text),
      data: dataCommandsFor(config, postgresDataRecords(pool), new PostgresAccessLog(pool, config.retentionDays, now), now),
    });
  } catch (error) {
    if (!(error instanceof SchemaNotCurrentError)) throw error;
    console.error(`${error.message}. Run \`npm run db:migrate\` first.`);
    return 1;
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
