import type { Round } from './round';

/** Where rounds are kept; `FileRoundRepository` and `InMemoryRoundRepository` implement it. */
export interface RoundRepository {
  get(id: string): Promise<Round | undefined>;
  /** Throws when a round with this id exists already. */
  create(round: Round): Promise<void>;
  /**
   * Applies `change` atomically (no other update of this round runs in between); returning the
   * very object it was given means "no change". Throws `RoundNotFoundError` when there is none.
   */
  update(id: string, change: (current: Round) => Round): Promise<Round>;
  delete(id: string): Promise<void>;
  listByProfessional(professionalId: string): Promise<Round[]>;
  /** Only a round whose *current* invitation has this code hash. */
  findByCodeHash(hash: string): Promise<Round | undefined>;
  /** Only a round whose *current* invitation has this link-token hash. */
  findByLinkTokenHash(hash: string): Promise<Round | undefined>;
  findByClientUser(userId: string): Promise<Round[]>;
  /** Rounds with status `open`; may scan every round (it serves the scheduler, not chat turns). */
  listOpen(): Promise<Round[]>;
  /** Every round; may scan every round (it serves the daily retention clean-up). */
  listAll(): Promise<Round[]>;
  /** Every round, one at a time (exports of any size); the order is not defined. */
  streamAll(): AsyncIterable<Round>;
}
