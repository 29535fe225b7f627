import { ResponseSetNotFoundError, ResponseSetRepository } from '../../services/questionnaire/responseSetRepository';
import type { ResponseSet } from '../../services/questionnaire/responseSet';

/** An in-memory response set repository with the same contract as the file one. */
export class InMemoryResponseSetRepository implements ResponseSetRepository {
  readonly sets = new Map<string, ResponseSet>();

  async get(id: string): Promise<ResponseSet | undefined> {
    const found = this.sets.get(id);
    return found ? structuredClone(found) : undefined;
  }

  async create(responseSet: ResponseSet): Promise<void> {
    if (this.sets.has(responseSet.id)) throw new Error('exists');
    this.sets.set(responseSet.id, structuredClone(responseSet));
  }

  async update(id: string, change: (current: ResponseSet) => ResponseSet): Promise<ResponseSet> {
    const current = this.sets.get(id);
    if (!current) throw new ResponseSetNotFoundError(id);
    const next = change(structuredClone(current));
    this.sets.set(id, structuredClone(next));
    return structuredClone(next);
  }

  async delete(id: string): Promise<void> {
    this.sets.delete(id);
  }
}
