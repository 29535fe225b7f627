import type { Pool } from 'pg';
import { ProfessionalNotFoundError, type Professional } from '../../services/professionals/professional';
import type { ProfessionalRepository } from '../../services/professionals/professionalRepository';
import { RecordTable } from './recordTable';

/** Professionals in `professionals`, found at sign-in by the hash of their access secret or their Teams id. */
export class PostgresProfessionalRepository extends RecordTable<Professional> implements ProfessionalRepository {
  constructor(pool: Pool) {
    super(pool, {
      table: 'professionals',
      columns: {
        access_secret_hash: (professional) => professional.accessSecretHash,
        aad_object_id: (professional) => professional.teams?.aadObjectId ?? null,
      },
      notFound: (id) => new ProfessionalNotFoundError(id),
    });
  }

  async findByAccessSecretHash(hash: string): Promise<Professional | undefined> {
    const [found] = await this.select('access_secret_hash = $1', [hash], 'id', 1);
    return found;
  }

  async findByAadObjectId(aadObjectId: string): Promise<Professional | undefined> {
    const [found] = await this.select('aad_object_id = $1', [aadObjectId], 'id', 1);
    return found;
  }

  list(): Promise<Professional[]> {
    return this.select('true', []);
  }
}
