import type { ResponseSet } from '../../services/questionnaire/responseSet';
import type { ItemPair } from '../../services/summary/comparison';
import { DIMENSIONS, type Perspective, type ScaleValue } from '../../services/vocabulary';

export const ANSWERED_AT = '2025-01-01T10:00:00.000Z';

/** A completed response set with the given answers (`null` = skipped); anything else via `overrides`. */
export function completedResponseSet(
  perspective: Perspective,
  answers: Record<string, ScaleValue | null>,
  overrides: Partial<ResponseSet> = {},
): ResponseSet {
  return {
    id: `${perspective}-set`,
    respondentId: `${perspective}-1`,
    perspective,
    questionnaireId: 'alliance',
    questionnaireVersion: '1',
    form: 'short',
    locale: 'nl',
    register: 'standard',
    domain: 'probation',
    roundId: 'round-1',
    answers: Object.fromEntries(Object.entries(answers).map(([itemId, value]) => [itemId, { itemId, value, answeredAt: ANSWERED_AT }])),
    commentsShared: false,
    status: 'completed',
    startedAt: ANSWERED_AT,
    updatedAt: ANSWERED_AT,
    completedAt: ANSWERED_AT,
    ...overrides,
  };
}

/** Two made-up item pairs per dimension (`c-trust-1` ↔ `p-trust-1`, …), friction reversed. */
export const SYNTHETIC_PAIRS: ItemPair[] = DIMENSIONS.flatMap((dimension) =>
  [1, 2].map((n) => ({
    clientItemId: `c-${dimension}-${n}`,
    professionalItemId: `p-${dimension}-${n}`,
    dimension,
    reverse: dimension === 'friction',
  })),
);
