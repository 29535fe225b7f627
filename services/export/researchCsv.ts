/**
 * @packageDocumentation
 * The research export: one CSV row per item pair per round, pseudonymised.
 *
 * @remarks Rows carry no chat ids, no client labels and no professional ids: a round and a
 * relationship (one professional with one client label) appear as pseudonyms from the export's
 * {@link Pseudonymiser}, valid within that one file. Dates are calendar dates (YYYY-MM-DD), not
 * times. Values are the raw answers 1–5 (empty when skipped or not answered); `gap` is client −
 * professional on oriented values (reverse items turned around), as in the summary. Comments are
 * left out unless the export asks for them, and then only the ones their author chose to share.
 */

import type { ItemBank } from '../questionnaire/itemBank';
import type { ResponseSet } from '../questionnaire/responseSet';
import type { RoundAnswers } from '../rounds/roundAnswers';
import { compareRound } from '../summary/roundReport';
import type { Pseudonymiser } from './pseudonymiser';
import { sharedComment } from './sharedComment';

export interface ResearchCsvOptions {
  /** Adds `client_comment` and `professional_comment` (shared comments only). */
  withComments: boolean;
}

const BASE_COLUMNS = [
  'round',
  'relationship',
  'domain',
  'form',
  'round_number',
  'appointment_date',
  'client_completed_on',
  'professional_completed_on',
  'client_status',
  'professional_status',
  'client_item_id',
  'professional_item_id',
  'dimension',
  'reverse',
  'client_value',
  'professional_value',
  'gap',
] as const;
const COMMENT_COLUMNS = ['client_comment', 'professional_comment'] as const;

export function researchCsvColumns(options: ResearchCsvOptions): string[] {
  return options.withComments ? [...BASE_COLUMNS, ...COMMENT_COLUMNS] : [...BASE_COLUMNS];
}

export function researchCsvHeader(options: ResearchCsvOptions): string {
  return `${researchCsvColumns(options).join(',')}\n`;
}

/**
 * The rows of one round, as CSV text ending in a newline (empty when the form has no pairs).
 *
 * @param roundNumber - 1 for the first round of this relationship, 2 for the next, …
 */
export function researchCsvRows(
  bank: ItemBank,
  answers: RoundAnswers,
  roundNumber: number,
  pseudonymiser: Pseudonymiser,
  options: ResearchCsvOptions,
): string {
  const { round, client, professional } = answers;
  const shared = [
    pseudonymiser.pseudonym('round', round.id),
    pseudonymiser.pseudonym('relationship', `${round.professionalId}\u0000${round.clientLabel.toLocaleLowerCase('nl')}`),
    round.domain ?? '',
    round.form,
    String(roundNumber),
    round.appointmentDate,
    isoDate(client?.completedAt),
    isoDate(professional?.completedAt),
    sideStatus(client),
    sideStatus(professional),
  ];
  let text = '';
  for (const item of compareRound(bank, answers, null).items) {
    const cells = [
      ...shared,
      item.clientItemId,
      item.professionalItemId,
      item.dimension,
      item.reverse ? 'true' : 'false',
      rawValue(client, item.clientItemId),
      rawValue(professional, item.professionalItemId),
      item.difference === null ? '' : String(item.difference),
    ];
    if (options.withComments) {
      cells.push(freeText(sharedComment(client, item.clientItemId)), freeText(sharedComment(professional, item.professionalItemId)));
    }
    text += `${cells.map(csvCell).join(',')}\n`;
  }
  return text;
}

function sideStatus(set: ResponseSet | null): string {
  return set ? set.status : 'missing';
}

function isoDate(at: string | null | undefined): string {
  return at ? at.slice(0, 10) : '';
}

function rawValue(set: ResponseSet | null, itemId: string): string {
  const value = set?.answers[itemId]?.value;
  return value === undefined || value === null ? '' : String(value);
}

/** RFC 4180 quoting. */
export function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Free text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe. */
function freeText(value: string | undefined): string {
  if (!value) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
