import type { Professional } from './professional';

/** Where professionals are kept; `FileProfessionalRepository` and `InMemoryProfessionalRepository` implement it. */
export interface ProfessionalRepository {
  get(id: string): Promise<Professional | undefined>;
  /** Throws when a professional with this id exists already. */
  create(professional: Professional): Promise<void>;
  /**
   * Applies `change` atomically (no other update of this professional runs in between); throws
   * `ProfessionalNotFoundError` when there is none. `change` may run more than once (as on the
   * PostgreSQL adapter, after another writer got there first): only its last run counts.
   */
  update(id: string, change: (current: Professional) => Professional): Promise<Professional>;
  findByAccessSecretHash(hash: string): Promise<Professional | undefined>;
  findByAadObjectId(aadObjectId: string): Promise<Professional | undefined>;
  /** Every professional; for the admin tool, not for chat turns. */
  list(): Promise<Professional[]>;
}
