import { createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { adminActor, AccessLog } from '../services/access/accessLog';
import { AccessRecorder } from '../services/access/accessRecorder';
import {
  checkSelection,
  EXPORT_FORMATS,
  ExportFormat,
  ExportInputError,
  ExportSink,
  writeRoundExport,
} from '../services/export/roundExport';
import { Pseudonymiser } from '../services/export/pseudonymiser';
import type { AppConfig } from '../config';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank, type ItemBank } from '../services/questionnaire/itemBank';
import { loadRoundAnswers } from '../services/rounds/roundAnswers';
import { FileResponseSetRepository } from '../storage/fileResponseSetRepository';
import { FileRoundRepository } from '../storage/fileRoundRepository';
import { checkFileStore, recordFileCount } from '../storage/fileStoreCheck';
import { FileSubjectRecords } from '../storage/fileSubjectRecords';
import type { JsonFileStore } from '../storage/jsonFileStore';
import { PostgresResponseSetRepository } from '../storage/postgres/postgresResponseSetRepository';
import { PostgresRoundRepository } from '../storage/postgres/postgresRoundRepository';
import type { ResponseSetRepository } from '../services/questionnaire/responseSetRepository';
import type { RoundRepository } from '../services/rounds/roundRepository';
import type { Pool } from 'pg';
import { ProgressBar } from './progressBar';

/**
 * The admin commands for data out and data rights: `export`, `subject-export`, `subject-erase`,
 * `access-log`. `scripts/admin.ts` hands them over; every admin command is noted in the access log.
 *
 * @remarks Exports and subject files hold personal data: they are written with mode 0600, first to
 * `<file>.partial` and renamed when complete, so a failed export never looks like a finished one.
 */

export const DATA_USAGE = [
  '  export --format fhir|csv --out FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--round ID] [--with-comments] [--progress]',
  '                              rounds by appointment date; fhir: NDJSON of Bundles (one round: one Bundle), csv: pseudonymised pairs',
  '  subject-export <id> [--out FILE]   everything stored about one client (channel user id) or professional, as JSON',
  '  subject-erase <id> [--yes]         delete everything stored about that person, after a confirmation',
  '  access-log [--round ID]            who viewed what and when, as JSON lines',
  '  check-store [--progress]           read every stored file, list the corrupt ones (left untouched), repair the indexes;',
  '                                     run it with the bot stopped (after an upgrade it builds the due-time index)',
].join('\n');

/** Where the data commands read and erase: the embedded store (`fileDataRecords`) or PostgreSQL (`postgresDataRecords`). */
export interface DataRecords {
  rounds: RoundRepository;
  responses: ResponseSetRepository;
  countRounds(): Promise<number>;
  /** A person's data and its erasure; `null` where that is not available yet (PostgreSQL). */
  subjects(accessLog: AccessLog, now: () => Date): SubjectRecords | null;
  /** The embedded store, for `check-store`; `null` on PostgreSQL. */
  fileStore: JsonFileStore | null;
}

export type SubjectRecords = Pick<FileSubjectRecords, 'collect' | 'erase'>;

export function fileDataRecords(store: JsonFileStore): DataRecords {
  return {
    rounds: new FileRoundRepository(store),
    responses: new FileResponseSetRepository(store),
    countRounds: () => store.count('rounds'),
    subjects: (accessLog, now) => new FileSubjectRecords(store, accessLog, now),
    fileStore: store,
  };
}

export function postgresDataRecords(pool: Pool): DataRecords {
  return {
    rounds: new PostgresRoundRepository(pool),
    responses: new PostgresResponseSetRepository(pool),
    countRounds: async () => Number((await pool.query<{ count: string }>('SELECT count(*) AS count FROM rounds')).rows[0].count),
    subjects: () => null,
    fileStore: null,
  };
}

export interface DataCommandDeps {
  records: DataRecords;
  /** Loaded only by the commands that need it, so a broken item bank does not block the others. */
  bank: () => ItemBank;
  accessLog: AccessLog;
  now: () => Date;
  /** The operator's login, for the access log. */
  login: string;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Where the progress bar goes (stderr); shown when it is a terminal or with `--progress`. */
  progress: { isTTY: boolean; write(text: string): unknown };
  /** Asks a question on the terminal; resolves to the answer, or `null` when nobody can answer. */
  ask: (question: string) => Promise<string | null>;
}

const COMMANDS = ['export', 'subject-export', 'subject-erase', 'access-log', 'check-store'] as const;
type DataCommand = (typeof COMMANDS)[number];

export function isDataCommand(command: string | undefined): command is DataCommand {
  return (COMMANDS as readonly (string | undefined)[]).includes(command);
}

export class DataCommands {
  private readonly access: AccessRecorder;

  constructor(private readonly deps: DataCommandDeps) {
    this.access = new AccessRecorder(deps.accessLog, deps.now, (error) => {
      throw error;
    });
  }

  /** Notes any admin command (with the round or person it is about, never anything else). */
  async recordCommand(command: string, args: string[]): Promise<void> {
    const roundIndex = args.indexOf('--round');
    const roundId = roundIndex >= 0 ? (args[roundIndex + 1] ?? null) : null;
    const subjectId = command.startsWith('subject-') ? args.find((arg) => !arg.startsWith('--')) : undefined;
    await this.access.view(adminActor(this.deps.login), 'admin-command', roundId, {
      detail: command,
      ...(subjectId ? { subjectId } : {}),
    });
  }

  /** Runs one data command; resolves to the exit code (0 done, 1 failed, 2 usage). */
  async run(command: DataCommand, args: string[]): Promise<number> {
    try {
      switch (command) {
        case 'export':
          return await this.exportRounds(args);
        case 'subject-export':
          return await this.subjectExport(args);
        case 'subject-erase':
          return await this.subjectErase(args);
        case 'access-log':
          return await this.printAccessLog(args);
        case 'check-store':
          return await this.checkStore(args);
      }
    } catch (error) {
      if (error instanceof ExportInputError || isArgumentError(error)) {
        this.deps.err(`${error.message}\n\n${DATA_USAGE}`);
        return 2;
      }
      throw error;
    }
  }

  private async exportRounds(args: string[]): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        format: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        round: { type: 'string' },
        'with-comments': { type: 'boolean', default: false },
        progress: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const format = values.format;
    if (!isExportFormat(format)) throw new ExportInputError('export needs --format fhir or --format csv');
    if (!values.out) throw new ExportInputError('export needs --out FILE');
    if (values['with-comments'] && format !== 'csv')
      throw new ExportInputError('--with-comments is for csv (FHIR always has the shared comments)');
    const selection = checkSelection({ from: values.from ?? null, to: values.to ?? null, roundId: values.round ?? null });

    const { rounds, responses } = this.deps.records;
    const showProgress = values.progress || this.deps.progress.isTTY;
    const bar =
      showProgress && selection.roundId === null
        ? new ProgressBar(this.deps.progress, await this.deps.records.countRounds(), 'rounds')
        : null;
    const result = await writeToFile(values.out, (sink) =>
      writeRoundExport(
        {
          bank: this.deps.bank(),
          rounds: selection.roundId !== null ? single(rounds.get(selection.roundId)) : rounds.streamAll(),
          loadAnswers: (round) => loadRoundAnswers(round, (id) => responses.get(id)),
          getRound: (id) => rounds.get(id),
          now: this.deps.now,
        },
        { format, selection, pseudonymiser: new Pseudonymiser(), withComments: values['with-comments'], onRoundRead: () => bar?.tick() },
        sink,
      ),
    );
    bar?.finish();
    this.deps.out(`Exported ${result.exported} of ${result.scanned} rounds read to ${values.out} (${format}).`);
    if (selection.roundId !== null && result.exported === 0) {
      this.deps.err(`No round ${selection.roundId} with answers (cancelled rounds are not exported).`);
      return 1;
    }
    return 0;
  }

  private async subjectExport(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({ args, options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
    const subjectId = onlyId(positionals, 'subject-export');
    const subjects = this.subjects();
    if (!subjects) return this.subjectsUnavailable('subject-export');
    const data = await subjects.collect(subjectId);
    const text = `${JSON.stringify(data, null, 2)}\n`;
    if (values.out) {
      await writeToFile(values.out, (sink) => sink.write(text));
      this.deps.out(`Wrote everything stored about ${subjectId} to ${values.out}: ${describe(data)}.`);
    } else {
      this.deps.out(text.trimEnd());
    }
    return 0;
  }

  private async subjectErase(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      options: { yes: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    const subjectId = onlyId(positionals, 'subject-erase');
    const subjects = this.subjects();
    if (!subjects) return this.subjectsUnavailable('subject-erase');
    const found = await subjects.collect(subjectId);
    if (!values.yes) {
      this.deps.out(`Found for ${subjectId}: ${describe(found)}.`);
      this.deps.out('Erasing deletes these rounds whole (both sides), and cannot be undone.');
      const answer = await this.deps.ask(`Type the id again to erase everything about it: `);
      if (answer === null) {
        this.deps.err('Nothing erased: no terminal to confirm on. Add --yes to erase from a script.');
        return 2;
      }
      if (answer.trim() !== subjectId) {
        this.deps.err('Nothing erased: the id did not match.');
        return 1;
      }
    }
    const report = await subjects.erase(subjectId);
    this.deps.out(
      `Erased ${subjectId}: ${report.rounds} rounds, ${report.responseSets} response sets, ${report.conversationReferences} conversation references, ` +
        `${report.botState} bot state records, ${report.directLineConversations} Direct Line conversations` +
        `${report.professional ? ', the professional record' : ''}; ${report.accessLogEntriesRedacted} access-log entries redacted` +
        `${report.strayRecords > 0 ? `; ${report.strayRecords} more records that named them` : ''}.`,
    );
    return 0;
  }

  private async printAccessLog(args: string[]): Promise<number> {
    const { values } = parseArgs({ args, options: { round: { type: 'string' } }, strict: true });
    for await (const entry of this.deps.accessLog.read(values.round ? { roundId: values.round } : {})) this.deps.out(JSON.stringify(entry));
    return 0;
  }

  private async checkStore(args: string[]): Promise<number> {
    const { values } = parseArgs({ args, options: { progress: { type: 'boolean', default: false } }, strict: true });
    const store = this.deps.records.fileStore;
    if (!store) {
      this.deps.out('check-store checks the embedded store (DATA_DIR); with DATABASE_URL the database keeps its records whole itself.');
      return 0;
    }
    const bar =
      values.progress || this.deps.progress.isTTY ? new ProgressBar(this.deps.progress, await recordFileCount(store), 'files') : null;
    const report = await checkFileStore(store, this.deps.now(), () => bar?.tick());
    bar?.finish();
    this.deps.out(`Read ${report.files.toLocaleString('en')} files (${report.rounds.toLocaleString('en')} rounds).`);
    for (const index of report.indexes) {
      this.deps.out(`${index.collection}: ${index.fixed} records added or corrected, ${index.removed} stale ones removed.`);
    }
    if (report.corrupt.length === 0) {
      this.deps.out('No corrupt files. The due-time index is built.');
      return 0;
    }
    this.deps.err(`${report.corrupt.length} corrupt files, left untouched:`);
    for (const file of report.corrupt) this.deps.err(`  ${file.filePath}: ${file.problem.slice(0, 200)}`);
    this.deps.err(
      'Restore them from a backup or remove them; until then their records cannot be read or changed. Run check-store again afterwards.',
    );
    return 1;
  }

  private subjects(): SubjectRecords | null {
    return this.deps.records.subjects(this.deps.accessLog, this.deps.now);
  }

  private subjectsUnavailable(command: string): number {
    this.deps.err(`${command} reads the embedded store (DATA_DIR) only; with DATABASE_URL it is not available yet.`);
    return 1;
  }
}

/** The data commands on this process's terminal, for `config`'s data folder and item bank. */
export function dataCommandsFor(config: AppConfig, records: DataRecords, accessLog: AccessLog, now: () => Date): DataCommands {
  return new DataCommands({
    records,
    bank: () => loadItemBank(config.itemBankPath ?? DEFAULT_ITEM_BANK_PATH),
    accessLog,
    now,
    login: os.userInfo().username,
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    progress: process.stderr,
    ask: async (question) => {
      if (!process.stdin.isTTY) return null;
      const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
      try {
        return await prompt.question(question);
      } finally {
        prompt.close();
      }
    },
  });
}

/** node:util parseArgs throws TypeErrors with an ERR_PARSE_ARGS_* code (checked by code: realms differ under jest). */
function isArgumentError(error: unknown): error is { message: string } {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  return typeof message === 'string' && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function isExportFormat(value: unknown): value is ExportFormat {
  return (EXPORT_FORMATS as readonly unknown[]).includes(value);
}

function onlyId(positionals: string[], command: string): string {
  if (positionals.length !== 1 || positionals[0].trim() === '') throw new ExportInputError(`${command} needs one id`);
  return positionals[0].trim();
}

function describe(data: Awaited<ReturnType<FileSubjectRecords['collect']>>): string {
  return [
    data.professional ? 'a professional record' : null,
    `${data.rounds.length} rounds`,
    `${data.responseSets.length} response sets`,
    `${data.conversationReferences.length} conversation references`,
    `${data.botState.length} bot state records`,
    `${data.directLineConversations.length} Direct Line conversations`,
    `${data.accessLog.length} access-log entries`,
  ]
    .filter((part) => part !== null)
    .join(', ');
}

async function* single<T>(value: Promise<T | undefined>): AsyncIterable<T> {
  const resolved = await value;
  if (resolved !== undefined) yield resolved;
}

/** Streams into `<file>.partial` (mode 0600) with back-pressure, then renames it to `file`. */
async function writeToFile<R>(file: string, work: (sink: ExportSink) => Promise<R>): Promise<R> {
  const partial = `${file}.partial`;
  const stream = createWriteStream(partial, { mode: 0o600 });
  let failure: Error | null = null;
  stream.on('error', (error) => {
    failure = error;
  });
  const sink: ExportSink = {
    write: (text) => {
      if (failure) return Promise.reject(failure);
      if (stream.write(text)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const onDrain = (): void => {
          stream.off('error', onError);
          resolve();
        };
        const onError = (error: Error): void => {
          stream.off('drain', onDrain);
          reject(error);
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    },
  };
  try {
    const result = await work(sink);
    await new Promise<void>((resolve, reject) => {
      stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
    await fs.rename(partial, file);
    return result;
  } catch (error) {
    stream.destroy();
    await fs.rm(partial, { force: true });
    throw error;
  }
}
