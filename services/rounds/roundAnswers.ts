import type { ResponseSet } from '../questionnaire/responseSet';
import type { Round } from './round';

/**
 * A round with both sides' response sets: the read model that the summary, the tab and the
 * scheduler share.
 */
export interface RoundAnswers {
  round: Round;
  client: ResponseSet | null;
  professional: ResponseSet | null;
}

/**
 * Loads both sides of a round. A set that is not this round's own side (another perspective, or
 * attached to another round) is left out rather than compared.
 */
export async function loadRoundAnswers(
  round: Round,
  getResponseSet: (id: string) => Promise<ResponseSet | undefined>,
): Promise<RoundAnswers> {
  const load = async (id: string | null, perspective: ResponseSet['perspective']): Promise<ResponseSet | null> => {
    if (!id) return null;
    const set = await getResponseSet(id);
    return set && set.perspective === perspective && (set.roundId === null || set.roundId === round.id) ? set : null;
  };
  const [client, professional] = await Promise.all([
    load(round.clientResponseSetId, 'client'),
    load(round.professionalResponseSetId, 'professional'),
  ]);
  return { round, client, professional };
}
