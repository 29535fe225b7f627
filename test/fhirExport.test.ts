import type { Bundle, CodeSystem, Questionnaire, QuestionnaireResponse } from 'fhir/r4';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../services/questionnaire/itemBank';
import {
  allQuestionnaireKeys,
  ANSWER_CODE_SYSTEM_URL,
  COUNTERPART_EXTENSION,
  createAnswerCodeSystem,
  createDimensionCodeSystem,
  createQuestionnaire,
  questionnaireCanonical,
  REVERSE_SCORED_EXTENSION,
  ROUND_EXTENSION,
  ROUND_IDENTIFIER_SYSTEM,
} from '../services/export/fhirDefinitions';
import { createRoundBundle } from '../services/export/fhirRoundBundle';
import { completedRoundAnswers, sideOf, storedRound } from './helpers/exportFixture';
import { fhirProblems } from './helpers/fhirValidator';

const bank = loadItemBank(DEFAULT_ITEM_BANK_PATH);
const generatedAt = new Date('2026-12-01T12:00:00Z');

function responses(bundle: Bundle): QuestionnaireResponse[] {
  return (bundle.entry ?? []).flatMap((entry) => {
    const resource = entry.resource as { resourceType?: string } | undefined;
    return resource?.resourceType === 'QuestionnaireResponse' ? [resource as QuestionnaireResponse] : [];
  });
}

describe('FHIR R4 definitions of the item bank', () => {
  it.each(allQuestionnaireKeys().map((key) => [`${key.form} ${key.perspective} ${key.register} ${key.locale}`, key] as const))(
    'the %s Questionnaire is valid R4, with item ids as linkIds and answers 1–5 of our CodeSystem',
    (_name, key) => {
      const questionnaire: Questionnaire = createQuestionnaire(bank, key);
      expect(fhirProblems(questionnaire)).toEqual([]);
      const items = bank.items(key.form, key.perspective);
      expect(questionnaire.item?.map((item) => item.linkId)).toEqual(items.map((item) => item.id));
      expect(questionnaire.language).toBe(key.locale);
      for (const [index, entry] of (questionnaire.item ?? []).entries()) {
        expect(entry.answerOption?.map((option) => [option.valueCoding?.system, option.valueCoding?.code])).toEqual(
          ['1', '2', '3', '4', '5'].map((code) => [ANSWER_CODE_SYSTEM_URL, code]),
        );
        const reverse = entry.extension?.find((extension) => extension.url === REVERSE_SCORED_EXTENSION)?.valueBoolean === true;
        expect(reverse).toBe(items[index].reverse);
      }
    },
  );

  it('the answer and dimension CodeSystems are valid R4 and complete', () => {
    const answers: CodeSystem = createAnswerCodeSystem(bank);
    const dimensions: CodeSystem = createDimensionCodeSystem(bank);
    expect(fhirProblems(answers)).toEqual([]);
    expect(fhirProblems(dimensions)).toEqual([]);
    expect(answers.concept?.map((concept) => concept.code)).toEqual(['1', '2', '3', '4', '5']);
    expect(dimensions.concept?.map((concept) => concept.code)).toEqual(['direction', 'trust', 'bond', 'friction']);
  });
});

describe('a round as a FHIR Bundle', () => {
  it('a completed round: one collection Bundle with both raters, linked to each other and to the round, accepted by the validator', () => {
    const answers = completedRoundAnswers(bank);
    const bundle = createRoundBundle(bank, answers, { generatedAt, includeDefinitions: true });
    expect(fhirProblems(bundle)).toEqual([]);
    for (const entry of bundle.entry ?? []) expect(fhirProblems(entry.resource)).toEqual([]);

    expect(bundle.type).toBe('collection');
    expect(bundle.identifier).toEqual({ system: ROUND_IDENTIFIER_SYSTEM, value: 'round-1' });
    const [client, professional] = responses(bundle);
    expect([client.status, professional.status]).toEqual(['completed', 'completed']);
    expect(client.questionnaire).toBe(
      questionnaireCanonical(bank, { form: 'short', perspective: 'client', register: 'simple', locale: 'nl' }),
    );
    const fullUrlOf = (resource: QuestionnaireResponse): string | undefined =>
      bundle.entry?.find((entry) => entry.resource === resource)?.fullUrl;
    const link = (resource: QuestionnaireResponse, url: string): unknown => resource.extension?.find((extension) => extension.url === url);
    expect(link(client, COUNTERPART_EXTENSION)).toEqual({
      url: COUNTERPART_EXTENSION,
      valueReference: { reference: fullUrlOf(professional) },
    });
    expect(link(professional, COUNTERPART_EXTENSION)).toEqual({
      url: COUNTERPART_EXTENSION,
      valueReference: { reference: fullUrlOf(client) },
    });
    expect(link(client, ROUND_EXTENSION)).toEqual({
      url: ROUND_EXTENSION,
      valueIdentifier: { system: ROUND_IDENTIFIER_SYSTEM, value: 'round-1' },
    });

    // The client skipped the second item: it is left out, not answered with a made-up value.
    const clientItems = bank.items('short', 'client');
    expect(client.item?.map((item) => item.linkId)).toEqual(clientItems.filter((_, index) => index !== 1).map((item) => item.id));
    expect(client.item?.[0].answer?.[0].valueCoding).toEqual({ system: ANSWER_CODE_SYSTEM_URL, code: '4', display: 'Meestal wel' });
    expect(professional.item).toHaveLength(bank.items('short', 'professional').length);
    // Definitions travel along: two CodeSystems and the two Questionnaires answered.
    expect(bundle.entry?.map((entry) => entry.resource?.resourceType)).toEqual([
      'CodeSystem',
      'CodeSystem',
      'Questionnaire',
      'Questionnaire',
      'QuestionnaireResponse',
      'QuestionnaireResponse',
    ]);
  });

  it('an in-progress side is exported as in-progress, a side that never started is absent', () => {
    const round = storedRound('round-2', { status: 'open', professionalResponseSetId: null });
    const client = sideOf(bank, round, 'client', (index) => (index < 3 ? 5 : null), { status: 'in-progress', completedAt: null });
    const bundle = createRoundBundle(bank, { round, client, professional: null }, { generatedAt, includeDefinitions: false });
    expect(fhirProblems(bundle)).toEqual([]);
    const [only, ...rest] = responses(bundle);
    expect(rest).toEqual([]);
    expect(only.status).toBe('in-progress');
    expect(only.authored).toBe(client.updatedAt);
    expect(only.extension?.some((extension) => extension.url === COUNTERPART_EXTENSION)).toBe(false);
  });

  it.each([
    ['not shared', false, undefined],
    ['shared', true, 'Meer tijd om te praten'],
  ])('comments %s: a comment is in the Bundle only when the client chose to share it', (_name, shared, expected) => {
    const answers = completedRoundAnswers(bank);
    const firstItem = bank.items('short', 'client')[0].id;
    const client = answers.client;
    if (!client) throw new Error('fixture has a client side');
    client.answers[firstItem].comment = 'Meer tijd om te praten';
    client.commentsShared = shared;
    const [clientResponse] = responses(createRoundBundle(bank, answers, { generatedAt, includeDefinitions: false }));
    expect(clientResponse.item?.[0].answer?.[0].item?.[0]?.answer?.[0]?.valueString).toBe(expected);
    expect(JSON.stringify(clientResponse).includes('Meer tijd')).toBe(shared);
  });

  it.each([
    ['a status outside the value set', (resource: Record<string, unknown>) => ({ ...resource, status: 'done' })],
    ['a property R4 does not have', (resource: Record<string, unknown>) => ({ ...resource, answeredBy: 'someone' })],
    ['authored that is not a dateTime', (resource: Record<string, unknown>) => ({ ...resource, authored: 'yesterday' })],
  ])('the validator rejects a broken QuestionnaireResponse: %s', (_name, breakIt) => {
    const [good] = responses(createRoundBundle(bank, completedRoundAnswers(bank), { generatedAt, includeDefinitions: false }));
    expect(fhirProblems(good)).toEqual([]);
    const broken = breakIt(good as unknown as Record<string, unknown>);
    expect(fhirProblems(broken).length).toBeGreaterThan(0);
    // Inside a Bundle it is caught as well.
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:1', resource: broken }] };
    expect(fhirProblems(bundle).length).toBeGreaterThan(0);
  });
});
