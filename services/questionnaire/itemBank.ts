/**
 * @packageDocumentation
 * The item bank: the questionnaire's items, their wording per register, locale and domain, the
 * answer scale and the forms, loaded from a versioned JSON file.
 *
 * @remarks The shipped file holds our own wording; an organisation with a licence for the official
 * Alliantiemonitor can load its own file in the same format (`ITEM_BANK_PATH`). Everything is checked
 * when the file is loaded, so a broken file stops the bot at start-up with a message naming the
 * file, the item and the field, instead of failing in the middle of someone's questionnaire.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  consistencyProblems,
  describeIssue,
  itemBankFileSchema,
  ROLE_PLACEHOLDER,
  type DomainFile,
  type ItemBankFile,
  type ItemFile,
} from './itemBankSchema';
import type { Dimension, Domain, Form, Locale, Localized, Perspective, Register, ScaleValue } from '../vocabulary';

/** One question as the dialogs and scoring see it; wording comes from {@link ItemBank.questionText}. */
export interface QuestionItem {
  id: string;
  perspective: Perspective;
  dimension: Dimension;
  /** Negatively worded: agreeing means a weaker alliance, so scoring turns the value around. */
  reverse: boolean;
  /** The mirror item in the other perspective, on the same theme. */
  twinId: string;
}

/** One answer option; `face` is set only in the simple register. */
export interface ScalePoint {
  value: ScaleValue;
  label: string;
  face: string | null;
}

/** How to word an item: register, language and (optionally) the field of work. */
export interface WordingOptions {
  register: Register;
  locale: Locale;
  domain: Domain | null;
}

/** Stable reasons an item bank cannot be used. */
export type ItemBankErrorCode = 'ITEM_BANK_UNREADABLE' | 'ITEM_BANK_SYNTAX' | 'ITEM_BANK_INVALID';

/**
 * An item bank file that cannot be read, is not JSON, or does not pass validation.
 *
 * @remarks `message` starts with the first problem (`file: item "id": field problem`); `problems`
 * lists all of them so an author can fix a file in one pass.
 */
export class ItemBankError extends Error {
  constructor(
    readonly code: ItemBankErrorCode,
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: ${problems[0] ?? 'invalid item bank'}` +
        (problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''),
    );
    this.name = 'ItemBankError';
  }
}

const FILE_NAME = 'alliance-monitor.json';

/**
 * Absolute path of the shipped bank, `content/alliance-monitor.json` at the project root.
 *
 * @remarks This file runs from `services/questionnaire/` (ts-node, jest) and from
 * `dist/services/questionnaire/` (compiled), so both candidate roots are tried.
 */
export const DEFAULT_ITEM_BANK_PATH: string = (() => {
  const candidates = [path.join(__dirname, '..', '..', 'content', FILE_NAME), path.join(__dirname, '..', '..', '..', 'content', FILE_NAME)];
  return candidates.find((candidate) => fs.existsSync(candidate)) ?? candidates[0];
})();

const DEFAULT_ROLE: Localized = { nl: 'begeleider', en: 'support worker' };

// ---------------------------------------------------------------------------------------------
// The bank

/**
 * A validated item bank. Build it with {@link parseItemBank} or {@link loadItemBank}.
 *
 * @remarks Immutable after construction; safe to share between conversations.
 */
export class ItemBank {
  readonly id: string;
  readonly version: string;
  private readonly titles: Localized;
  private readonly defaultRole: Localized;
  private readonly dimensions: ItemBankFile['dimensions'];
  private readonly scalePoints: ItemBankFile['scale'];
  private readonly itemsById: ReadonlyMap<string, { item: QuestionItem; texts: ItemFile['texts']; question?: ItemFile['question'] }>;
  private readonly forms: ItemBankFile['forms'];
  private readonly domains: Partial<Record<Domain, DomainFile>>;

  /** @internal Use {@link parseItemBank}; the constructor trusts that `file` was validated. */
  constructor(file: ItemBankFile) {
    this.id = file.id;
    this.version = file.version;
    this.titles = file.title;
    this.defaultRole = file.defaultRole ?? DEFAULT_ROLE;
    this.dimensions = file.dimensions;
    this.scalePoints = file.scale;
    this.forms = file.forms;
    this.domains = file.domains ?? {};
    this.itemsById = new Map(
      file.items.map((item) => [
        item.id,
        {
          item: Object.freeze({
            id: item.id,
            perspective: item.perspective,
            dimension: item.dimension,
            reverse: item.reverse,
            twinId: item.twin,
          }),
          texts: item.texts,
          question: item.question,
        },
      ]),
    );
  }

  title(locale: Locale): string {
    return this.titles[locale];
  }

  /** The items of a form for one perspective, in asking order. */
  items(form: Form, perspective: Perspective): QuestionItem[] {
    return this.forms[form][perspective].map((id) => this.requireEntry(id).item);
  }

  item(itemId: string): QuestionItem | undefined {
    return this.itemsById.get(itemId)?.item;
  }

  /** The mirror item in the other perspective. */
  twinOf(itemId: string): QuestionItem | undefined {
    const item = this.item(itemId);
    return item ? this.item(item.twinId) : undefined;
  }

  /**
   * The wording of an item, with the domain's override (if any) and `{role}` filled in.
   *
   * @throws Error for an unknown item id: a programming error, not a user mistake.
   */
  questionText(itemId: string, options: WordingOptions): string {
    const { texts } = this.requireEntry(itemId);
    const override = options.domain ? this.domains[options.domain]?.texts?.[itemId]?.[options.register]?.[options.locale] : undefined;
    const template = override ?? texts[options.register][options.locale];
    const role = this.roleWord(options.domain, options.locale);
    return template.replace(ROLE_PLACEHOLDER, role);
  }

  /** The five answer options, 1 (no / never) to 5 (yes / always); faces only in `simple`. */
  scale(register: Register, locale: Locale): ScalePoint[] {
    return this.scalePoints.map((point) => ({
      value: point.value,
      label: point.labels[register][locale],
      face: register === 'simple' ? point.face : null,
    }));
  }

  /**
   * The answer options for one item: like {@link scale}, but for a negatively worded (reverse) item
   * the faces run the other way, so "yes, it feels like a fight" does not carry a smile.
   */
  scaleForItem(itemId: string, register: Register, locale: Locale): ScalePoint[] {
    const points = this.scale(register, locale);
    if (!this.requireEntry(itemId).item.reverse) return points;
    const faces = points.map((point) => point.face).reverse();
    return points.map((point, index) => ({ ...point, face: faces[index] ?? null }));
  }

  dimensionLabel(dimension: Dimension, locale: Locale): string {
    return this.dimensions[dimension].label[locale];
  }

  /**
   * The name to put above a score, where higher is always better: the same as the label, except for
   * a reverse dimension that has its own (friction → "Weinig stroefheid" / "Little friction").
   */
  dimensionScoreLabel(dimension: Dimension, locale: Locale): string {
    const entry = this.dimensions[dimension];
    return entry.scoreLabel?.[locale] ?? entry.label[locale];
  }

  /**
   * The open question about an item for the conversation, with `{role}` filled in; `null` when the
   * bank has none for it (the summary then asks a question about the dimension).
   */
  openQuestion(itemId: string, locale: Locale, domain: Domain | null): string | null {
    const question = this.requireEntry(itemId).question?.[locale];
    return question ? question.replace(ROLE_PLACEHOLDER, this.roleWord(domain, locale)) : null;
  }

  /** Whether high answers on this dimension mean a weaker alliance (friction). */
  dimensionIsReverse(dimension: Dimension): boolean {
    return this.dimensions[dimension].reverse;
  }

  /** How the professional is named: the domain's role word, or the bank's default. */
  roleWord(domain: Domain | null, locale: Locale): string {
    return (domain ? this.domains[domain]?.role[locale] : undefined) ?? this.defaultRole[locale];
  }

  /** Identifies what was answered, stored with each response set (e.g. `alliance-monitor-open/full`). */
  questionnaireId(form: Form): string {
    return `${this.id}/${form}`;
  }

  private requireEntry(itemId: string): { item: QuestionItem; texts: ItemFile['texts']; question?: ItemFile['question'] } {
    const entry = this.itemsById.get(itemId);
    if (!entry) throw new Error(`Item bank ${this.id} has no item "${itemId}"`);
    return entry;
  }
}

/**
 * Validates parsed JSON and builds the bank.
 *
 * @param sourceName - Names the file in error messages (a path, or a label in tests).
 * @throws ItemBankError with code `ITEM_BANK_INVALID`, naming the item and field of each problem.
 */
export function parseItemBank(json: unknown, sourceName: string): ItemBank {
  const result = itemBankFileSchema.safeParse(json);
  if (!result.success) {
    throw new ItemBankError(
      'ITEM_BANK_INVALID',
      sourceName,
      result.error.issues.map((issue) => describeIssue(json, issue)),
    );
  }
  const problems = consistencyProblems(result.data);
  if (problems.length > 0) throw new ItemBankError('ITEM_BANK_INVALID', sourceName, problems);
  return new ItemBank(result.data);
}

/**
 * Reads, parses and validates an item bank file.
 *
 * @throws ItemBankError: `ITEM_BANK_UNREADABLE` (no such file), `ITEM_BANK_SYNTAX` (not JSON) or
 * `ITEM_BANK_INVALID`; each message starts with the file path.
 */
export function loadItemBank(filePath: string): ItemBank {
  let raw: string;
  try {
    raw = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new ItemBankError('ITEM_BANK_UNREADABLE', filePath, [
      `cannot be read (${error instanceof Error ? error.message : String(error)})`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ItemBankError('ITEM_BANK_SYNTAX', filePath, [
      `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    ]);
  }
  return parseItemBank(json, filePath);
}
