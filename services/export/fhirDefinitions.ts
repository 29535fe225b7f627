/**
 * @packageDocumentation
 * The item bank as HL7 FHIR R4 definitions: one `Questionnaire` per form, perspective, register and
 * language, and the `CodeSystem`s its answers and dimensions are coded in.
 *
 * @remarks Canonical URLs are ours ({@link FHIR_CANONICAL_BASE}); a definition's version is the item
 * bank's version, so a response always names the exact wording it answered. The answer options are
 * the five scale points as codes `1`–`5`; a negatively worded item carries the
 * {@link REVERSE_SCORED_EXTENSION} extension instead of other codes, so a reader who scores it knows
 * to turn it around (6 − value). Each question has an optional child `<item id>.comment` for the
 * comment a respondent may add. Pure: no storage, no bot.
 */

import { createHash } from 'node:crypto';
import type { CodeSystem, CodeSystemConcept, Questionnaire, QuestionnaireItem } from 'fhir/r4';
import type { ItemBank } from '../questionnaire/itemBank';
import { DIMENSIONS, Form, Locale, LOCALES, Perspective, PERSPECTIVES, Register, REGISTERS, FORMS } from '../vocabulary';

/** Where our definitions live; a canonical URL names a definition, it need not resolve. */
export const FHIR_CANONICAL_BASE = 'https://alliance-monitor.example/fhir';
export const ANSWER_CODE_SYSTEM_URL = `${FHIR_CANONICAL_BASE}/CodeSystem/alliance-answer`;
export const DIMENSION_CODE_SYSTEM_URL = `${FHIR_CANONICAL_BASE}/CodeSystem/alliance-dimension`;
/** `valueBoolean: true` on a Questionnaire item whose answers count in reverse (friction items). */
export const REVERSE_SCORED_EXTENSION = `${FHIR_CANONICAL_BASE}/StructureDefinition/reverse-scored`;
/** On a QuestionnaireResponse: `valueIdentifier` of the round it belongs to. */
export const ROUND_EXTENSION = `${FHIR_CANONICAL_BASE}/StructureDefinition/round`;
/** On a QuestionnaireResponse: `valueReference` to the other side's response of the same round. */
export const COUNTERPART_EXTENSION = `${FHIR_CANONICAL_BASE}/StructureDefinition/counterpart-response`;
/** On a QuestionnaireResponse: `valueCode` `client` or `professional`. */
export const PERSPECTIVE_EXTENSION = `${FHIR_CANONICAL_BASE}/StructureDefinition/perspective`;
export const ROUND_IDENTIFIER_SYSTEM = `${FHIR_CANONICAL_BASE}/identifier/round`;
export const RESPONSE_SET_IDENTIFIER_SYSTEM = `${FHIR_CANONICAL_BASE}/identifier/response-set`;
export const PROFESSIONAL_IDENTIFIER_SYSTEM = `${FHIR_CANONICAL_BASE}/identifier/professional`;
/** SDC: one question at a time, going back allowed. */
const SDC_ENTRY_MODE_EXTENSION = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-entryMode';

/** Which Questionnaire: one per form, perspective, register and language. */
export interface QuestionnaireKey {
  form: Form;
  perspective: Perspective;
  register: Register;
  locale: Locale;
}

const COMMENT_LABEL: Record<Locale, string> = { nl: 'Toelichting', en: 'Comment' };

/** The linkId of the comment child of a question. */
export function commentLinkId(itemId: string): string {
  return `${itemId}.comment`;
}

/** A FHIR `id` ([A-Za-z0-9-.]{1,64}) that stays the same for the same key. */
export function questionnaireResourceId(bank: ItemBank, key: QuestionnaireKey): string {
  return fhirId(`${bank.id}-${key.form}-${key.perspective}-${key.register}-${key.locale}`);
}

export function questionnaireUrl(bank: ItemBank, key: QuestionnaireKey): string {
  return `${FHIR_CANONICAL_BASE}/Questionnaire/${questionnaireResourceId(bank, key)}`;
}

/** The versioned canonical a QuestionnaireResponse points at (`url|version`). */
export function questionnaireCanonical(bank: ItemBank, key: QuestionnaireKey): string {
  return `${questionnaireUrl(bank, key)}|${bank.version}`;
}

/** Every combination the bank can be answered in (2 forms × 2 perspectives × 2 registers × 2 languages). */
export function allQuestionnaireKeys(): QuestionnaireKey[] {
  return FORMS.flatMap((form) =>
    PERSPECTIVES.flatMap((perspective) =>
      REGISTERS.flatMap((register) => LOCALES.map((locale) => ({ form, perspective, register, locale }))),
    ),
  );
}

export function createQuestionnaire(bank: ItemBank, key: QuestionnaireKey): Questionnaire {
  const scale = bank.scale(key.register, key.locale);
  const items: QuestionnaireItem[] = bank.items(key.form, key.perspective).map((item) => ({
    ...(item.reverse ? { extension: [{ url: REVERSE_SCORED_EXTENSION, valueBoolean: true }] } : {}),
    linkId: item.id,
    code: [{ system: DIMENSION_CODE_SYSTEM_URL, code: item.dimension, display: bank.dimensionLabel(item.dimension, key.locale) }],
    text: bank.questionText(item.id, { register: key.register, locale: key.locale, domain: null }),
    type: 'choice',
    required: false,
    answerOption: scale.map((point) => ({
      valueCoding: { system: ANSWER_CODE_SYSTEM_URL, code: String(point.value), display: point.label },
    })),
    item: [{ linkId: commentLinkId(item.id), text: COMMENT_LABEL[key.locale], type: 'text', required: false }],
  }));
  return {
    resourceType: 'Questionnaire',
    id: questionnaireResourceId(bank, key),
    extension: [{ url: SDC_ENTRY_MODE_EXTENSION, valueCode: 'prior-edit' }],
    url: questionnaireUrl(bank, key),
    version: bank.version,
    name: computableName(`${bank.id} ${key.form} ${key.perspective} ${key.register} ${key.locale}`),
    title: `${bank.title(key.locale)} (${key.form}, ${key.perspective}, ${key.register})`,
    status: 'active',
    language: key.locale,
    subjectType: ['Patient'],
    item: items,
  };
}

/** The answer scale: codes `1`–`5`, shown in English standard wording, with every other wording as a designation. */
export function createAnswerCodeSystem(bank: ItemBank): CodeSystem {
  const concepts: CodeSystemConcept[] = bank.scale('standard', 'en').map((point) => ({
    code: String(point.value),
    display: point.label,
    designation: REGISTERS.flatMap((register) =>
      LOCALES.map((locale) => ({
        language: locale,
        use: { display: register },
        value: labelOf(bank, register, locale, point.value),
      })),
    ),
  }));
  return codeSystem('alliance-answer', ANSWER_CODE_SYSTEM_URL, bank, 'Answer scale of the working alliance monitor', concepts);
}

export function createDimensionCodeSystem(bank: ItemBank): CodeSystem {
  const concepts: CodeSystemConcept[] = DIMENSIONS.map((dimension) => ({
    code: dimension,
    display: bank.dimensionLabel(dimension, 'en'),
    designation: [{ language: 'nl', value: bank.dimensionLabel(dimension, 'nl') }],
  }));
  return codeSystem('alliance-dimension', DIMENSION_CODE_SYSTEM_URL, bank, 'Dimensions of the working alliance monitor', concepts);
}

/**
 * A name-based UUID (RFC 4122 version 5 layout over SHA-1) for `urn:uuid:` full URLs, so the same
 * record gets the same URL in every export without storing anything.
 */
export function nameBasedUuid(name: string): string {
  const bytes = createHash('sha1').update(`${FHIR_CANONICAL_BASE}/${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Our ids are UUIDs; anything else (tests, older data) is mapped onto the FHIR id alphabet. */
export function fhirId(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9.-]/g, '-');
  return cleaned.length <= 64 ? cleaned : nameBasedUuid(value);
}

function codeSystem(id: string, url: string, bank: ItemBank, title: string, concept: CodeSystemConcept[]): CodeSystem {
  return {
    resourceType: 'CodeSystem',
    id,
    url,
    version: bank.version,
    name: computableName(id),
    title,
    status: 'active',
    caseSensitive: true,
    content: 'complete',
    count: concept.length,
    concept,
  };
}

function labelOf(bank: ItemBank, register: Register, locale: Locale, value: number): string {
  return bank.scale(register, locale).find((point) => point.value === value)?.label ?? String(value);
}

/** FHIR's `name` is for machines: letters and digits, starting with a capital. */
function computableName(words: string): string {
  return words
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}
