/**
 * @packageDocumentation
 * A round as HL7 FHIR R4: each side's response set as a `QuestionnaireResponse`, both in one
 * `Bundle` of type `collection`, so the client's file gets both views of the same relationship.
 *
 * @remarks The two responses point at each other ({@link COUNTERPART_EXTENSION}) and at the round
 * ({@link ROUND_EXTENSION}, and the Bundle's `identifier`). Skipped and unanswered items are left
 * out (FHIR has no "don't know" answer on a 1–5 choice, and 0 would be a lie). Comments go in only
 * when the respondent chose to share them. A set that is not finished is `in-progress`.
 */

import type { Bundle, BundleEntry, FhirResource, QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4';
import type { ItemBank } from '../questionnaire/itemBank';
import type { ResponseSet } from '../questionnaire/responseSet';
import type { RoundAnswers } from '../rounds/roundAnswers';
import type { Round } from '../rounds/round';
import {
  ANSWER_CODE_SYSTEM_URL,
  commentLinkId,
  COUNTERPART_EXTENSION,
  createAnswerCodeSystem,
  createDimensionCodeSystem,
  createQuestionnaire,
  fhirId,
  nameBasedUuid,
  PERSPECTIVE_EXTENSION,
  PROFESSIONAL_IDENTIFIER_SYSTEM,
  QuestionnaireKey,
  questionnaireCanonical,
  questionnaireUrl,
  RESPONSE_SET_IDENTIFIER_SYSTEM,
  ROUND_EXTENSION,
  ROUND_IDENTIFIER_SYSTEM,
} from './fhirDefinitions';
import { sharedComment } from './sharedComment';

export interface RoundBundleOptions {
  /** When the export was made (`Bundle.timestamp`). */
  generatedAt: Date;
  /**
   * Also put the CodeSystems and the Questionnaires the responses answer into the Bundle, so one
   * file stands on its own (the tab's download). A bulk export writes them once instead.
   */
  includeDefinitions: boolean;
}

export function responseFullUrl(set: ResponseSet): string {
  return `urn:uuid:${nameBasedUuid(`response-set/${set.id}`)}`;
}

export function questionnaireKeyOf(set: ResponseSet): QuestionnaireKey {
  return { form: set.form, perspective: set.perspective, register: set.register, locale: set.locale };
}

export function createQuestionnaireResponse(
  bank: ItemBank,
  round: Round,
  set: ResponseSet,
  counterpart: ResponseSet | null,
): QuestionnaireResponse {
  const key = questionnaireKeyOf(set);
  const scale = bank.scale(set.register, set.locale);
  const items: QuestionnaireResponseItem[] = [];
  for (const item of bank.items(set.form, set.perspective)) {
    const answer = set.answers[item.id];
    if (!answer || answer.value === null) continue;
    const comment = sharedComment(set, item.id);
    items.push({
      linkId: item.id,
      text: bank.questionText(item.id, { register: set.register, locale: set.locale, domain: null }),
      answer: [
        {
          valueCoding: {
            system: ANSWER_CODE_SYSTEM_URL,
            code: String(answer.value),
            display: scale.find((point) => point.value === answer.value)?.label,
          },
          ...(comment ? { item: [{ linkId: commentLinkId(item.id), answer: [{ valueString: comment }] }] } : {}),
        },
      ],
    });
  }
  return {
    resourceType: 'QuestionnaireResponse',
    id: fhirId(set.id),
    language: set.locale,
    extension: [
      { url: PERSPECTIVE_EXTENSION, valueCode: set.perspective },
      { url: ROUND_EXTENSION, valueIdentifier: { system: ROUND_IDENTIFIER_SYSTEM, value: round.id } },
      ...(counterpart ? [{ url: COUNTERPART_EXTENSION, valueReference: { reference: responseFullUrl(counterpart) } }] : []),
    ],
    identifier: { system: RESPONSE_SET_IDENTIFIER_SYSTEM, value: set.id },
    questionnaire: questionnaireCanonical(bank, key),
    status: set.status === 'completed' ? 'completed' : 'in-progress',
    // The professional's pseudonym for the client; the bot knows no name.
    subject: { display: round.clientLabel },
    authored: set.completedAt ?? set.updatedAt,
    ...(set.perspective === 'professional'
      ? { author: { type: 'Practitioner', identifier: { system: PROFESSIONAL_IDENTIFIER_SYSTEM, value: round.professionalId } } }
      : {}),
    item: items,
  };
}

/** Both sides of one round in one Bundle; a side that has not started is simply absent. */
export function createRoundBundle(bank: ItemBank, answers: RoundAnswers, options: RoundBundleOptions): Bundle {
  const { round, client, professional } = answers;
  const entries: BundleEntry<FhirResource>[] = [];
  if (options.includeDefinitions) entries.push(...definitionEntries(bank, [client, professional]));
  for (const [set, other] of [
    [client, professional],
    [professional, client],
  ] as const) {
    if (set) entries.push({ fullUrl: responseFullUrl(set), resource: createQuestionnaireResponse(bank, round, set, other) });
  }
  return {
    resourceType: 'Bundle',
    id: nameBasedUuid(`round/${round.id}`),
    identifier: { system: ROUND_IDENTIFIER_SYSTEM, value: round.id },
    type: 'collection',
    timestamp: options.generatedAt.toISOString(),
    entry: entries,
  };
}

/** The definitions a set of responses needs: both CodeSystems and each Questionnaire once. */
export function definitionEntries(bank: ItemBank, sets: readonly (ResponseSet | null)[]): BundleEntry<FhirResource>[] {
  const keys = new Map<string, QuestionnaireKey>();
  for (const set of sets) if (set) keys.set(questionnaireUrl(bank, questionnaireKeyOf(set)), questionnaireKeyOf(set));
  return definitionEntriesFor(bank, [...keys.values()]);
}

export function definitionEntriesFor(bank: ItemBank, keys: readonly QuestionnaireKey[]): BundleEntry<FhirResource>[] {
  const answers = createAnswerCodeSystem(bank);
  const dimensions = createDimensionCodeSystem(bank);
  return [
    { fullUrl: answers.url, resource: answers },
    { fullUrl: dimensions.url, resource: dimensions },
    ...keys.map((key) => ({ fullUrl: questionnaireUrl(bank, key), resource: createQuestionnaire(bank, key) })),
  ];
}
