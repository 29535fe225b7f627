import type { ItemBank } from '../../services/questionnaire/itemBank';
import type { ResponseSet } from '../../services/questionnaire/responseSet';
import type { RoundAnswers } from '../../services/rounds/roundAnswers';
import type { Round } from '../../services/rounds/round';
import type { Form, Perspective, ScaleValue } from '../../services/vocabulary';

/** A round record as the round service would have stored it (hashes and dates are placeholders). */
export function storedRound(id: string, overrides: Partial<Round> = {}): Round {
  return {
    id,
    professionalId: 'pro-1',
    clientLabel: 'K-12',
    domain: 'probation',
    form: 'short',
    appointmentDate: '2026-12-10',
    deadline: '2026-12-09T00:00:00.000Z',
    status: 'complete',
    createdAt: '2026-11-20T09:00:00.000Z',
    invitation: {
      codeHash: `code-${id}`,
      linkTokenHash: `link-${id}`,
      expiresAt: '2026-12-04T09:00:00.000Z',
      usedAt: null,
      revokedAt: null,
    },
    clientUserId: 'client-user-1',
    clientResponseSetId: `${id}-client`,
    professionalResponseSetId: `${id}-professional`,
    previousRoundId: null,
    summarySentAt: null,
    reminderSentAt: null,
    ...overrides,
  };
}

/** One side of a round, answering the form's items by position with `plan`. */
export function sideOf(
  bank: ItemBank,
  round: Round,
  perspective: Perspective,
  plan: (index: number) => ScaleValue | null,
  overrides: Partial<ResponseSet> = {},
): ResponseSet {
  const at = '2026-11-25T10:00:00.000Z';
  const form: Form = round.form;
  const answers: ResponseSet['answers'] = {};
  for (const [index, item] of bank.items(form, perspective).entries()) {
    answers[item.id] = { itemId: item.id, value: plan(index), answeredAt: at };
  }
  return {
    id: `${round.id}-${perspective}`,
    respondentId: perspective === 'client' ? (round.clientUserId ?? 'client') : round.professionalId,
    perspective,
    questionnaireId: bank.questionnaireId(form),
    questionnaireVersion: bank.version,
    form,
    locale: 'nl',
    register: perspective === 'client' ? 'simple' : 'standard',
    domain: round.domain,
    roundId: round.id,
    answers,
    commentsShared: false,
    status: 'completed',
    startedAt: at,
    updatedAt: at,
    completedAt: at,
    ...overrides,
  };
}

/** A completed round: the client answers 4 everywhere but skips the second item, the professional answers 3. */
export function completedRoundAnswers(bank: ItemBank, id = 'round-1'): RoundAnswers {
  const round = storedRound(id);
  return {
    round,
    client: sideOf(bank, round, 'client', (index) => (index === 1 ? null : 4)),
    professional: sideOf(bank, round, 'professional', () => 3),
  };
}
