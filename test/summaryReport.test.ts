import { createSummaryCard, summaryText } from '../cards/summaryCard';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../services/questionnaire/itemBank';
import { professionalSummary } from '../services/summary/roundReport';
import { SCENARIO, summaryScenario } from './fixtures/summaryScenario';
import { cardTexts } from './helpers/cardTexts';
import { validateAdaptiveCard } from './helpers/cardValidation';

const bank = loadItemBank(DEFAULT_ITEM_BANK_PATH);
const { previous, current } = summaryScenario(bank, 'pro-1');
const nl = professionalSummary(bank, current, previous, 'nl');
const en = professionalSummary(bank, current, previous, 'en');
const text = (id: string): string => bank.questionText(id, { register: 'standard', locale: 'nl', domain: 'probation' });

const texts = cardTexts;

describe('the summary of a round with skips, a friction gap and a previous round', () => {
  it('has one status line that agrees with the skips, and names the skipped items', () => {
    expect(nl.status).toEqual({
      kind: 'skipped',
      text: 'Jullie zijn allebei klaar. De cliënt heeft 2 vragen overgeslagen. Die tellen niet mee.',
    });
    expect(en.status.text).toBe('You are both done. The client skipped 2 questions. They are not counted.');
    expect(nl.skipped).toEqual(SCENARIO.skippedByClient.map((id) => ({ perspective: 'client', clientItemId: id, text: text(id) })));
    expect(nl.missing).toEqual([]);
  });

  it('puts the appointment date in the heading, in the one date format', () => {
    expect(nl.title).toBe('Monitor met cliënt K-41 · afspraak op 7 december 2026');
    expect(en.title).toBe('Monitor with client K-41 · meeting on 7 December 2026');
  });

  it('flags the drop in trust at the top, and a first round says it is the first', () => {
    expect(nl.changeAlert).toEqual({
      kind: 'drop',
      // Largest drop first; a drop of exactly 0.5 counts.
      lines: [
        'Let op: de score van de cliënt voor Vertrouwen is gedaald sinds vorige keer (van 4,0 naar 2,8).',
        'Let op: de score van de cliënt voor Binding is gedaald sinds vorige keer (van 4,0 naar 3,5).',
      ],
    });
    const first = professionalSummary(bank, current, null, 'nl');
    expect(first.changeAlert).toEqual({
      kind: 'first',
      lines: ['Dit is de eerste ronde met deze cliënt. Er is nog geen vorige keer om mee te vergelijken.'],
    });
    const steady = professionalSummary(bank, previous, previous, 'en');
    expect(steady.changeAlert.kind).toBe('steady');
  });

  it('names friction so that higher is better, and says it was turned around', () => {
    expect(nl.dimensions.map((d) => d.label)).toEqual(['Richting en kader', 'Vertrouwen', 'Binding', 'Weinig stroefheid']);
    expect(en.dimensions.map((d) => d.label)).toContain('Little friction');
    expect(nl.reversedNote).toMatch(/^Weinig stroefheid: .*omgedraaid/);
    for (const point of nl.goingWell) expect(point.text).not.toMatch(/^Stroefheid/);
  });

  it("asks the item's own question: the client's for a client lower, the professional's for a client higher", () => {
    const friction = nl.talkingPoints.find((point) => point.clientItemId === SCENARIO.frictionGapItem);
    expect(friction?.question).toBe(bank.openQuestion(SCENARIO.frictionGapItem, 'nl', 'probation'));
    const low = nl.talkingPoints.find((point) => point.clientItemId === SCENARIO.lowItem);
    expect(low?.question).toBe('Wat zou jou meer moed geven om door te gaan?');
    expect(nl.talkingPoints.map((point) => point.question)).not.toContain('Wanneer voel je je door mij gehoord, en wanneer niet?');
  });

  it('lists every item pair with both answers as words and faces, and marks the big gap', () => {
    expect(nl.items).toHaveLength(19);
    const friction = nl.items.find((row) => row.clientItemId === SCENARIO.frictionGapItem);
    expect(friction).toMatchObject({
      client: { state: 'answered', value: 4, label: 'Meestal waar', face: '🙁' },
      professional: { state: 'answered', value: 1, label: 'Helemaal niet waar', face: '😀' },
      difference: -3,
      gap: 'big',
      gapText: 'De cliënt ziet dit minder positief dan jij (verschil van 3 punten).',
    });
    const skipped = nl.items.find((row) => row.clientItemId === 'c-bond-5');
    expect(skipped?.client).toEqual({ state: 'skipped', value: null, label: 'Overgeslagen', face: null });
    expect(nl.items.filter((row) => row.gap === 'big').map((row) => row.clientItemId)).toEqual(['c-trust-1', 'c-bond-4', 'c-friction-1']);
  });

  it('becomes a valid 1.5 card with an "Alle vragen" section and an Overzicht button', () => {
    const card = createSummaryCard(nl, 'nl', { overviewUrl: 'https://bot.example.org/tab?link=x' });
    expect(validateAdaptiveCard(card)).toEqual([]);
    const body = texts(card.body);
    expect(body.slice(0, 3)).toEqual([nl.title, nl.status.text, nl.changeAlert.lines[0]]);
    expect(body).not.toContain('Nog niet compleet');
    const showCard = card.actions?.find((action) => action.type === 'Action.ShowCard');
    if (showCard?.type !== 'Action.ShowCard') throw new Error('no Alle vragen section');
    expect(showCard.title).toBe('Alle vragen');
    const pairs = texts(showCard.card.body);
    for (const row of nl.items) expect(pairs).toContain(row.text);
    expect(pairs).toContain('🙁 Meestal waar');
    expect(pairs).toContain('⚠ De cliënt ziet dit minder positief dan jij (verschil van 3 punten).');
    expect(card.actions?.find((action) => action.type === 'Action.OpenUrl')).toMatchObject({ title: 'Overzicht' });
    expect(validateAdaptiveCard(createSummaryCard(en, 'en'))).toEqual([]);
  });

  it('says the same in the text fallback', () => {
    const fallback = summaryText(nl, 'nl');
    expect(fallback).toContain(nl.status.text);
    expect(fallback).toContain(nl.changeAlert.lines[0]);
    for (const id of SCENARIO.skippedByClient) expect(fallback).toContain(`- Door de cliënt: ${text(id)}`);
    expect(fallback).toContain('**Alle vragen**');
    for (const line of fallback.split('\n')) expect(line.length).toBeLessThanOrEqual(160);
  });
});
