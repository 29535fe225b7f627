import type { ResponseSet } from './responseSet';

/** Where response sets are kept; `FileResponseSetRepository` and `InMemoryResponseSetRepository` implement it. */
export interface ResponseSetRepository {
  get(id: string): Promise<ResponseSet | undefined>;
  create(responseSet: ResponseSet): Promise<void>;
  /**
   * Applies `change` atomically (no other update of this set runs in between); throws
   * `ResponseSetNotFoundError` when there is no such set. `change` may run more than once (the
   * PostgreSQL adapter runs it again on the set as it is then when another writer got there
   * first): only its last run counts.
   */
  update(id: string, change: (current: ResponseSet) => ResponseSet): Promise<ResponseSet>;
  delete(id: string): Promise<void>;
}

export class ResponseSetNotFoundError extends Error {
  readonly code = 'RESPONSE_SET_NOT_FOUND';
  constructor(id: string) {
    super(`No response set ${id}`);
    this.name = 'ResponseSetNotFoundError';
  }
}
