/**
 * @packageDocumentation
 * Puts a round's pieces together for the people who read it: the comparison of both sides (with
 * the pair's previous round for the trend), the professional's summary, the client's own results.
 *
 * @remarks Pure: the caller loads the round and its response sets. The texts shown next to item
 * numbers are the professional's wording of the client item's twin when the summary is for the
 * professional, so they read what they answered themselves.
 */

import { comparePair, ItemPair, PairComparison } from './comparison';
import type { ItemBank } from '../questionnaire/itemBank';
import type { ResponseSet } from '../questionnaire/responseSet';
import type { RoundAnswers } from '../rounds/roundAnswers';
import type { Round } from '../rounds/round';
import { buildSummary, sharedClientComments, SummaryModel } from './professionalSummary';
import { buildClientResults, ClientResultsModel } from './clientResults';
import type { Form, Locale } from '../vocabulary';

/** The mirrored item pairs of a form: each client item with its professional twin. */
export function itemPairs(bank: ItemBank, form: Form): ItemPair[] {
  return bank.items(form, 'client').flatMap((clientItem) => {
    const twin = bank.twinOf(clientItem.id);
    return twin
      ? [{ clientItemId: clientItem.id, professionalItemId: twin.id, dimension: clientItem.dimension, reverse: clientItem.reverse }]
      : [];
  });
}

export function compareRound(bank: ItemBank, answers: RoundAnswers, previous: RoundAnswers | null): PairComparison {
  const previousComparison = previous
    ? comparePair({ pairs: itemPairs(bank, previous.round.form), client: previous.client, professional: previous.professional })
    : null;
  return comparePair({
    pairs: itemPairs(bank, answers.round.form),
    client: answers.client,
    professional: answers.professional,
    previous: previousComparison,
  });
}

export function professionalSummary(bank: ItemBank, answers: RoundAnswers, previous: RoundAnswers | null, locale: Locale): SummaryModel {
  const comparison = compareRound(bank, answers, previous);
  const domain = answers.round.domain;
  const standard = bank.scale('standard', locale);
  return buildSummary(comparison, {
    locale,
    itemText: (itemId) => bank.questionText(itemId, { register: 'standard', locale, domain }),
    dimensionLabel: (dimension) => bank.dimensionScoreLabel(dimension, locale),
    comments: sharedClientComments(answers.client),
    clientLabel: answers.round.clientLabel,
    appointmentDate: answers.round.appointmentDate,
    itemQuestion: (itemId) => bank.openQuestion(itemId, locale, domain),
    // Standard words with the faces of the simple register, turned around for negatively asked items.
    answerWords: (itemId, value) => ({
      label: standard.find((point) => point.value === value)?.label ?? String(value),
      face: bank.scaleForItem(itemId, 'simple', locale).find((point) => point.value === value)?.face ?? null,
    }),
  });
}

export function clientOwnResults(bank: ItemBank, round: Round, client: ResponseSet, locale: Locale): ClientResultsModel {
  return buildClientResults(
    { pairs: itemPairs(bank, round.form), client },
    {
      locale,
      itemText: (itemId) => bank.questionText(itemId, { register: 'simple', locale, domain: round.domain }),
      dimensionLabel: (dimension) => bank.dimensionLabel(dimension, locale),
    },
  );
}
