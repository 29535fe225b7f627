/**
 * @packageDocumentation
 * Writes many rounds as FHIR or CSV, one round at a time, so memory stays flat however many
 * rounds there are.
 *
 * @remarks Rounds come in as an async stream and text goes out through an {@link ExportSink} that
 * waits for the disk; nothing is collected. Cancelled rounds and rounds nobody answered are left out.
 * FHIR for one round (`roundId`) is one self-contained Bundle (with the Questionnaires and
 * CodeSystems); for more it is NDJSON: a first Bundle with all definitions, then one Bundle per
 * round on its own line, as FHIR Bulk Data files are.
 */

import type { ItemBank } from '../questionnaire/itemBank';
import type { RoundAnswers } from '../rounds/roundAnswers';
import type { Round } from '../rounds/round';
import { allQuestionnaireKeys, nameBasedUuid } from './fhirDefinitions';
import { createRoundBundle, definitionEntriesFor } from './fhirRoundBundle';
import type { Pseudonymiser } from './pseudonymiser';
import { researchCsvHeader, researchCsvRows } from './researchCsv';

export const EXPORT_FORMATS = ['fhir', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Which rounds: by appointment date (YYYY-MM-DD, both ends included) and/or one round id. */
export interface ExportSelection {
  from: string | null;
  to: string | null;
  roundId: string | null;
}

/** Where the text goes; `write` resolves when the sink can take more (back-pressure). */
export interface ExportSink {
  write(text: string): Promise<void>;
}

export interface RoundExportSource {
  bank: ItemBank;
  rounds: AsyncIterable<Round>;
  loadAnswers(round: Round): Promise<RoundAnswers>;
  /** For the round number: follows `previousRoundId`. */
  getRound(id: string): Promise<Round | undefined>;
  now: () => Date;
}

export interface RoundExportOptions {
  format: ExportFormat;
  selection: ExportSelection;
  pseudonymiser: Pseudonymiser;
  /** CSV only: add the comments their authors chose to share. */
  withComments: boolean;
  /** Called after each round read (exported or not), for a progress bar. */
  onRoundRead?: () => void;
}

export interface RoundExportResult {
  /** Rounds read. */
  scanned: number;
  /** Rounds written. */
  exported: number;
}

export class ExportInputError extends Error {
  readonly code = 'EXPORT_INPUT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ExportInputError';
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Rounds loaded ahead of the one being written: enough to hide file latency, few enough to keep memory flat. */
const READ_AHEAD = 32;

/** Checks the selection's dates; throws `ExportInputError` naming the bad one. */
export function checkSelection(selection: ExportSelection): ExportSelection {
  for (const [name, value] of [
    ['--from', selection.from],
    ['--to', selection.to],
  ] as const) {
    if (value !== null && (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))) {
      throw new ExportInputError(`${name} must be a date as YYYY-MM-DD, not "${value}"`);
    }
  }
  if (selection.from && selection.to && selection.from > selection.to) throw new ExportInputError('--from is after --to');
  return selection;
}

export function isSelected(round: Round, selection: ExportSelection): boolean {
  if (selection.roundId !== null && round.id !== selection.roundId) return false;
  if (selection.from !== null && round.appointmentDate < selection.from) return false;
  if (selection.to !== null && round.appointmentDate > selection.to) return false;
  return true;
}

export async function writeRoundExport(
  source: RoundExportSource,
  options: RoundExportOptions,
  sink: ExportSink,
): Promise<RoundExportResult> {
  const single = options.format === 'fhir' && options.selection.roundId !== null;
  const generatedAt = source.now();
  if (options.format === 'csv') await sink.write(researchCsvHeader({ withComments: options.withComments }));
  if (options.format === 'fhir' && !single) {
    const definitions = {
      resourceType: 'Bundle',
      id: nameBasedUuid(`definitions/${source.bank.id}/${source.bank.version}`),
      type: 'collection',
      timestamp: generatedAt.toISOString(),
      entry: definitionEntriesFor(source.bank, allQuestionnaireKeys()),
    };
    await sink.write(`${JSON.stringify(definitions)}\n`);
  }
  const render = async (round: Round): Promise<string | null> => {
    const answers = await source.loadAnswers(round);
    if (!answers.client && !answers.professional) return null;
    if (options.format === 'csv') {
      const number = await roundNumber(round, (id) => source.getRound(id));
      return researchCsvRows(source.bank, answers, number, options.pseudonymiser, { withComments: options.withComments });
    }
    const bundle = createRoundBundle(source.bank, answers, { generatedAt, includeDefinitions: single });
    return `${single ? JSON.stringify(bundle, null, 2) : JSON.stringify(bundle)}\n`;
  };

  // A few rounds load at once (reading files is mostly waiting), and are written in the order read.
  const pending: Promise<string | null>[] = [];
  let scanned = 0;
  let exported = 0;
  const writeOldest = async (): Promise<void> => {
    const text = await pending.shift();
    if (text === null || text === undefined) return;
    exported += 1;
    await sink.write(text);
  };
  for await (const round of source.rounds) {
    scanned += 1;
    options.onRoundRead?.();
    if (round.status === 'cancelled' || !isSelected(round, options.selection)) continue;
    const task = render(round);
    task.catch(() => undefined); // awaited in order below; this only keeps it from counting as unhandled meanwhile
    pending.push(task);
    if (pending.length >= READ_AHEAD) await writeOldest();
  }
  while (pending.length > 0) await writeOldest();
  return { scanned, exported };
}

/** 1 for a relationship's first stored round, 2 for the next, …, by following `previousRoundId`. */
export async function roundNumber(round: Round, getRound: (id: string) => Promise<Round | undefined>): Promise<number> {
  let number = 1;
  const seen = new Set<string>([round.id]);
  let previousId = round.previousRoundId;
  while (previousId !== null && !seen.has(previousId)) {
    seen.add(previousId);
    const previous = await getRound(previousId);
    if (!previous) break;
    number += 1;
    previousId = previous.previousRoundId;
  }
  return number;
}
