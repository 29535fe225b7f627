/**
 * @packageDocumentation
 * The labelled replies in `nlu/replies.tsv` and their fixed train/test split.
 *
 * @remarks The split is a stable hash of locale and text (see README), so adding a row never
 * moves another row between train and test, and nobody chooses which rows are tested.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ReplyKind } from '../services/replies/replyInterpreter';
import { isLocale, isScaleValue, type Locale, type ScaleValue } from '../services/vocabulary';

export type Split = 'train' | 'test';

export interface LabelledReply {
  readonly locale: Locale;
  readonly text: string;
  readonly kind: ReplyKind;
  /** 1..5 for answers; null otherwise. */
  readonly value: ScaleValue | null;
  /** For `settings`: which setting. */
  readonly setting: 'language' | 'simpleWords' | null;
  /**
   * The reply is genuinely ambiguous ("mwah", "niet altijd", "3 of 4"): the right outcome is that
   * the bot asks (confidence below the threshold) and offers this reading first or second.
   */
  readonly mustAsk: boolean;
  readonly split: Split;
  /** 1-based line number in the TSV, for error messages. */
  readonly line: number;
}

export const REPLIES_PATH = path.join(__dirname, 'replies.tsv');

const KINDS: readonly ReplyKind[] = ['answer', 'skip', 'back', 'pause', 'help', 'restart', 'settings', 'remark', 'unknown'];
const isKind = (value: string): value is ReplyKind => (KINDS as readonly string[]).includes(value);

/** 32-bit FNV-1a over the UTF-8 bytes of `locale + TAB + text`. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Test when the hash modulo 10 is 0, 1 or 2 (about 30% of the rows). */
export function splitOf(locale: Locale, text: string): Split {
  return fnv1a(`${locale}\t${text}`) % 10 < 3 ? 'test' : 'train';
}

export function loadLabelledReplies(file: string = REPLIES_PATH): LabelledReply[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const replies: LabelledReply[] = [];
  lines.forEach((raw, index) => {
    if (index === 0 || raw.trim() === '') return; // header
    const [locale, text, kind, value = '', confirm = ''] = raw.split('\t');
    const line = index + 1;
    if (!isLocale(locale) || text === undefined || kind === undefined || !isKind(kind)) throw new Error(`replies.tsv:${line}: bad row`);
    const numeric = Number(value);
    const scaleValue = kind === 'answer' && isScaleValue(numeric) ? numeric : null;
    if (kind === 'answer' && scaleValue === null) throw new Error(`replies.tsv:${line}: answer without a value 1..5`);
    const setting = kind === 'settings' ? (value === 'language' || value === 'simpleWords' ? value : null) : null;
    if (kind === 'settings' && setting === null) throw new Error(`replies.tsv:${line}: settings without language|simpleWords`);
    if (confirm !== '' && confirm !== 'ask') throw new Error(`replies.tsv:${line}: confirm must be empty or "ask"`);
    if (confirm === 'ask' && kind !== 'answer') throw new Error(`replies.tsv:${line}: only answers are marked "ask"`);
    replies.push({ locale, text, kind, value: scaleValue, setting, mustAsk: confirm === 'ask', split: splitOf(locale, text), line });
  });
  return replies;
}
