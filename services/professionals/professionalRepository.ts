import type { Professional } from './professional';

/** Where professionals are kept; `FileProfessionalRepository` and `InMemoryProfessionalRepository` implement it. */
export interface ProfessionalRepository {
  get(id: string): Promise<Professional | undefined>;
  /** Throws when a professional with this id exists already. */
  create(professional: Professional): Promise<void>;
  /** Applies `change` atomically; throws `ProfessionalNotFoundError` when there is none. */
  update(id: string, change: (current: Professional) => Professional): Promise<Professional>;
  findByAccessSecretHash(hash: string): Promise<Professional | undefined>;
  findByAadObjectId(aadObjectId: string): Promise<Professional | undefined>;
  /** Every professional; for the admin tool, not for chat turns. */
  list(): Promise<Professional[]>;
}
