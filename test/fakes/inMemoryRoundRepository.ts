import { awaitsSummary, pageOf, RoundPage, RoundPageRequest, RoundRepository } from '../../services/rounds/roundRepository';
import { Round, RoundNotFoundError } from '../../services/rounds/round';

/**
 * Rounds in a Map, with the same contract as the file adapter: updates are atomic (the change runs
 * without an await between read and write), and callers get copies, never the stored object.
 */
export class InMemoryRoundRepository implements RoundRepository {
  readonly rounds = new Map<string, Round>();
  /** How often the scheduler's queries ran: lookups for chat turns must not need them. */
  scans = 0;

  async get(id: string): Promise<Round | undefined> {
    await tick();
    const round = this.rounds.get(id);
    return round ? structuredClone(round) : undefined;
  }

  async create(round: Round): Promise<void> {
    await tick();
    if (this.rounds.has(round.id)) throw new Error(`round ${round.id} exists already`);
    this.rounds.set(round.id, structuredClone(round));
  }

  async update(id: string, change: (current: Round) => Round): Promise<Round> {
    await tick();
    const current = this.rounds.get(id);
    if (!current) throw new RoundNotFoundError(id);
    const next = change(structuredClone(current));
    this.rounds.set(id, structuredClone(next));
    return structuredClone(next);
  }

  async delete(id: string): Promise<void> {
    await tick();
    this.rounds.delete(id);
  }

  async listByProfessional(professionalId: string): Promise<Round[]> {
    return this.where((round) => round.professionalId === professionalId);
  }

  async findByCodeHash(hash: string): Promise<Round | undefined> {
    return (await this.where((round) => round.invitation.codeHash === hash))[0];
  }

  async findByLinkTokenHash(hash: string): Promise<Round | undefined> {
    return (await this.where((round) => round.invitation.linkTokenHash === hash))[0];
  }

  async findByClientUser(userId: string): Promise<Round[]> {
    return this.where((round) => round.clientUserId === userId);
  }

  async pageByProfessional(professionalId: string, page: RoundPageRequest): Promise<RoundPage> {
    return pageOf(await this.listByProfessional(professionalId), page);
  }

  async *streamAll(): AsyncIterable<Round> {
    for (const round of await this.where(() => true)) yield round;
  }

  async listAwaitingSummary(deadlineBefore: Date): Promise<Round[]> {
    this.scans += 1;
    const awaiting = await this.where(
      (round) => awaitsSummary(round) && (round.status === 'complete' || Date.parse(round.deadline) < deadlineBefore.getTime()),
    );
    return awaiting.sort((a, b) => a.deadline.localeCompare(b.deadline));
  }

  async listAppointmentBefore(date: string, limit: number): Promise<Round[]> {
    this.scans += 1;
    const before = await this.where((round) => round.appointmentDate < date);
    return before.sort((a, b) => a.appointmentDate.localeCompare(b.appointmentDate)).slice(0, limit);
  }

  private async where(test: (round: Round) => boolean): Promise<Round[]> {
    await tick();
    return [...this.rounds.values()].filter(test).map((round) => structuredClone(round));
  }
}

/** Yields to other promises, so concurrent callers really interleave. */
function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
