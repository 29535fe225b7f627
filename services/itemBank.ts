import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  Dimension,
  DIMENSIONS,
  Domain,
  DOMAINS,
  Form,
  FORMS,
  Locale,
  LOCALES,
  Localized,
  Perspective,
  PERSPECTIVES,
  Register,
  REGISTERS,
  ScaleValue,
  SCALE_VALUES,
} from './vocabulary';

/**
 * The item bank: the questionnaire's items, their wording per register, locale and domain, the
 * answer scale and the forms, loaded from a versioned JSON file.
 *
 * @remarks The shipped file holds our own wording; an organisation with a licence for the official
 * Alliantiemonitor can load its own file in the same format (`ITEM_BANK_PATH`). Everything is checked
 * when the file is loaded, so a broken file stops the bot at start-up with a message naming the
 * file, the item and the field, instead of failing in the middle of someone's questionnaire.
 */

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

/** The current file format; a file with another `schemaVersion` is refused, not guessed at. */
export const ITEM_BANK_SCHEMA_VERSION = 1;

const FILE_NAME = 'alliance-monitor.json';

/**
 * Absolute path of the shipped bank, `content/alliance-monitor.json` at the project root.
 *
 * @remarks This file runs from `services/` (ts-node, jest) and from `dist/services/` (compiled), so
 * both candidate roots are tried.
 */
export const DEFAULT_ITEM_BANK_PATH: string = (() => {
  const candidates = [path.join(__dirname, '..', 'content', FILE_NAME), path.join(__dirname, '..', '..', 'content', FILE_NAME)];
  return candidates.find((candidate) => fs.existsSync(candidate)) ?? candidates[0];
})();

const DEFAULT_ROLE: Localized = { nl: 'begeleider', en: 'support worker' };
const ROLE_PLACEHOLDER = /\{role\}/g;

// ---------------------------------------------------------------------------------------------
// File format

const text = z.string().refine((value) => value.trim().length > 0, { message: 'is empty' });
const localizedSchema = z.strictObject({ nl: text, en: text });
const partialLocalizedSchema = z.strictObject({ nl: text.optional(), en: text.optional() });
const textsSchema = z.strictObject({ standard: localizedSchema, simple: localizedSchema });

const itemSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'must be letters, digits, ".", "_" or "-"' }),
  perspective: z.enum(PERSPECTIVES),
  dimension: z.enum(DIMENSIONS),
  reverse: z.boolean(),
  twin: z.string(),
  texts: textsSchema,
});

const scalePointSchema = z.strictObject({
  value: z.literal([...SCALE_VALUES]),
  face: text,
  labels: textsSchema,
});

const perspectiveListsSchema = z.strictObject({ client: z.array(z.string()), professional: z.array(z.string()) });

const domainSchema = z.strictObject({
  role: localizedSchema,
  texts: z
    .record(z.string(), z.strictObject({ standard: partialLocalizedSchema.optional(), simple: partialLocalizedSchema.optional() }))
    .optional(),
});

const itemBankFileSchema = z.strictObject({
  schemaVersion: z.literal(ITEM_BANK_SCHEMA_VERSION),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'must be letters, digits, ".", "_" or "-"' }),
  version: text,
  title: localizedSchema,
  /** Free text for authors (source, licence); not shown to users. */
  notes: z.string().optional(),
  defaultRole: localizedSchema.optional(),
  dimensions: z.record(z.enum(DIMENSIONS), z.strictObject({ reverse: z.boolean(), label: localizedSchema })),
  scale: z.array(scalePointSchema),
  items: z.array(itemSchema),
  forms: z.record(z.enum(FORMS), perspectiveListsSchema),
  domains: z.partialRecord(z.enum(DOMAINS), domainSchema).optional(),
});

type ItemBankFile = z.infer<typeof itemBankFileSchema>;
type ItemFile = z.infer<typeof itemSchema>;
type DomainFile = z.infer<typeof domainSchema>;

/** Items per form and perspective: `short` needs exactly this many per dimension. */
const SHORT_FORM_PER_DIMENSION = 2;
const FULL_FORM_SIZE = 19;

// ---------------------------------------------------------------------------------------------
// Error messages

type PathKey = PropertyKey;

function valueAt(root: unknown, keys: readonly PathKey[]): unknown {
  let current: unknown = root;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** `['items', 3, 'texts', 'simple', 'nl']` → `item "c-trust-2": texts.simple.nl`. */
function describePath(json: unknown, keys: readonly PathKey[]): { where: string; field: string } {
  const dotted = (rest: readonly PathKey[]): string =>
    rest.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index > 0 ? '.' : ''}${String(key)}`)).join('');
  if (keys[0] === 'items' && typeof keys[1] === 'number') {
    const id = valueAt(json, ['items', keys[1], 'id']);
    const where = typeof id === 'string' && id.length > 0 ? `item "${id}"` : `items[${keys[1]}]`;
    return { where: `${where}: `, field: dotted(keys.slice(2)) };
  }
  if (keys[0] === 'domains' && keys[2] === 'texts' && typeof keys[3] === 'string') {
    return { where: `domain "${String(keys[1])}": item "${keys[3]}": `, field: dotted(keys.slice(4)) };
  }
  return { where: '', field: dotted(keys) };
}

function describeIssue(json: unknown, issue: z.core.$ZodIssue): string {
  const { where, field } = describePath(json, issue.path);
  const subject = field.length > 0 ? field : 'the file';
  const actual = valueAt(json, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return actual === undefined
        ? `${where}${subject} is missing`
        : `${where}${subject} must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`} (got ${JSON.stringify(actual)})`;
    case 'invalid_value':
      return `${where}${subject} must be ${issue.values.map((value) => JSON.stringify(value)).join(' or ')} (got ${JSON.stringify(actual)})`;
    case 'unrecognized_keys':
      return `${where}${field.length > 0 ? `${field}: ` : ''}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_key':
      return `${where}${subject} has an unknown key (${JSON.stringify(valueAt(issue, ['input']) ?? '')})`;
    default:
      return `${where}${subject} ${issue.message}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Consistency checks beyond the shape of the file

function consistencyProblems(file: ItemBankFile): string[] {
  const problems: string[] = [];
  const byId = new Map<string, ItemFile>();
  for (const item of file.items) {
    if (byId.has(item.id)) problems.push(`item "${item.id}": id is used more than once`);
    byId.set(item.id, item);
  }

  for (const item of file.items) {
    const twin = byId.get(item.twin);
    if (!twin) {
      problems.push(`item "${item.id}": twin "${item.twin}" does not exist`);
      continue;
    }
    if (twin.perspective === item.perspective) problems.push(`item "${item.id}": twin "${twin.id}" must be in the other perspective`);
    if (twin.twin !== item.id) problems.push(`item "${item.id}": twin "${twin.id}" names "${twin.twin}" as its twin, not "${item.id}"`);
    if (twin.dimension !== item.dimension)
      problems.push(`item "${item.id}": twin "${twin.id}" has dimension "${twin.dimension}", not "${item.dimension}"`);
    if (twin.reverse !== item.reverse)
      problems.push(`item "${item.id}": twin "${twin.id}" has reverse ${twin.reverse}, not ${item.reverse}`);
  }

  file.scale.forEach((point, index) => {
    if (point.value !== SCALE_VALUES[index])
      problems.push(`scale[${index}].value must be ${SCALE_VALUES[index] ?? 'absent'} (got ${point.value})`);
  });
  if (file.scale.length !== SCALE_VALUES.length) problems.push(`scale must have ${SCALE_VALUES.length} points (got ${file.scale.length})`);

  for (const form of FORMS) {
    for (const perspective of PERSPECTIVES) {
      const ids = file.forms[form][perspective];
      const field = `forms.${form}.${perspective}`;
      const seen = new Set<string>();
      for (const id of ids) {
        const item = byId.get(id);
        if (seen.has(id)) problems.push(`${field}: item "${id}" is listed more than once`);
        seen.add(id);
        if (!item) problems.push(`${field}: item "${id}" does not exist`);
        else if (item.perspective !== perspective) problems.push(`${field}: item "${id}" is a ${item.perspective} item`);
      }
      const counts = DIMENSIONS.map((dimension) => ids.filter((id) => byId.get(id)?.dimension === dimension).length);
      if (form === 'short') {
        DIMENSIONS.forEach((dimension, index) => {
          if (counts[index] !== SHORT_FORM_PER_DIMENSION) {
            problems.push(`${field}: needs ${SHORT_FORM_PER_DIMENSION} items of dimension "${dimension}" (got ${counts[index]})`);
          }
        });
      } else {
        if (ids.length !== FULL_FORM_SIZE) problems.push(`${field}: needs ${FULL_FORM_SIZE} items (got ${ids.length})`);
        DIMENSIONS.forEach((dimension, index) => {
          if (counts[index] < SHORT_FORM_PER_DIMENSION) {
            problems.push(`${field}: needs at least ${SHORT_FORM_PER_DIMENSION} items of dimension "${dimension}" (got ${counts[index]})`);
          }
        });
      }
    }
    // Each client item needs its twin in the same form, or a round cannot be compared item by item.
    const professional = new Set(file.forms[form].professional);
    for (const id of file.forms[form].client) {
      const twinId = byId.get(id)?.twin;
      if (twinId !== undefined && !professional.has(twinId))
        problems.push(`forms.${form}.professional: twin "${twinId}" of "${id}" is missing`);
    }
    const client = new Set(file.forms[form].client);
    for (const id of file.forms[form].professional) {
      const twinId = byId.get(id)?.twin;
      if (twinId !== undefined && !client.has(twinId)) problems.push(`forms.${form}.client: twin "${twinId}" of "${id}" is missing`);
    }
  }
  const full = new Set([...file.forms.full.client, ...file.forms.full.professional]);
  for (const id of [...file.forms.short.client, ...file.forms.short.professional]) {
    if (!full.has(id)) problems.push(`forms.short: item "${id}" is not in the full form`);
  }

  for (const domain of DOMAINS) {
    for (const itemId of Object.keys(file.domains?.[domain]?.texts ?? {})) {
      if (!byId.has(itemId)) problems.push(`domain "${domain}": item "${itemId}" does not exist`);
    }
  }

  // A placeholder other than {role} would reach the user verbatim.
  const checkPlaceholders = (where: string, value: string | undefined): void => {
    const leftover = value?.replace(ROLE_PLACEHOLDER, '').match(/[{}]/);
    if (leftover) problems.push(`${where} has a "${leftover[0]}" that is not part of {role}`);
  };
  for (const item of file.items) {
    for (const register of REGISTERS) {
      for (const locale of LOCALES) checkPlaceholders(`item "${item.id}": texts.${register}.${locale}`, item.texts[register][locale]);
    }
  }
  for (const domain of DOMAINS) {
    for (const [itemId, texts] of Object.entries(file.domains?.[domain]?.texts ?? {})) {
      for (const register of REGISTERS) {
        for (const locale of LOCALES) {
          checkPlaceholders(`domain "${domain}": item "${itemId}": ${register}.${locale}`, texts[register]?.[locale]);
        }
      }
    }
  }
  return problems;
}

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
  private readonly itemsById: ReadonlyMap<string, { item: QuestionItem; texts: ItemFile['texts'] }>;
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

  private requireEntry(itemId: string): { item: QuestionItem; texts: ItemFile['texts'] } {
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
