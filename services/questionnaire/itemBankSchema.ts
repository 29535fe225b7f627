/**
 * @packageDocumentation
 * The item bank's file format (zod), the messages that name the item and field of a problem, and
 * the consistency checks beyond the shape (twins, forms, domains).
 */
import { z } from 'zod';
import { DIMENSIONS, DOMAINS, FORMS, LOCALES, PERSPECTIVES, REGISTERS, SCALE_VALUES } from '../vocabulary';

/** The current file format; a file with another `schemaVersion` is refused, not guessed at. */
export const ITEM_BANK_SCHEMA_VERSION = 1;
/** Where a domain's role word goes in an item text. */
export const ROLE_PLACEHOLDER = /\{role\}/g;
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
  /**
   * An open question the professional can ask about this item in the conversation (our own wording).
   * On a client item it explores the client's experience; on a professional item it starts from the
   * professional's own doubt. Optional: without it the summary falls back to a question per dimension.
   */
  question: localizedSchema.optional(),
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

export const itemBankFileSchema = z.strictObject({
  schemaVersion: z.literal(ITEM_BANK_SCHEMA_VERSION),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'must be letters, digits, ".", "_" or "-"' }),
  version: text,
  title: localizedSchema,
  /** Free text for authors (source, licence); not shown to users. */
  notes: z.string().optional(),
  defaultRole: localizedSchema.optional(),
  dimensions: z.record(
    z.enum(DIMENSIONS),
    /** `scoreLabel`: the name under which a score reads "higher is better" (friction: "little friction"). */
    z.strictObject({ reverse: z.boolean(), label: localizedSchema, scoreLabel: localizedSchema.optional() }),
  ),
  scale: z.array(scalePointSchema),
  items: z.array(itemSchema),
  forms: z.record(z.enum(FORMS), perspectiveListsSchema),
  domains: z.partialRecord(z.enum(DOMAINS), domainSchema).optional(),
});

export type ItemBankFile = z.infer<typeof itemBankFileSchema>;
export type ItemFile = z.infer<typeof itemSchema>;
export type DomainFile = z.infer<typeof domainSchema>;

/** Items per form and perspective: `short` needs exactly this many per dimension. */
export const SHORT_FORM_PER_DIMENSION = 2;
export const FULL_FORM_SIZE = 19;

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

export function describeIssue(json: unknown, issue: z.core.$ZodIssue): string {
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

export function consistencyProblems(file: ItemBankFile): string[] {
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
    for (const locale of LOCALES) checkPlaceholders(`item "${item.id}": question.${locale}`, item.question?.[locale]);
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
