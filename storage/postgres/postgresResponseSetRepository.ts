import type { Pool } from 'pg';
import type { ResponseSet } from '../../services/questionnaire/responseSet';
import { ResponseSetNotFoundError, type ResponseSetRepository } from '../../services/questionnaire/responseSetRepository';
import { RecordTable } from './recordTable';

/** Response sets in `response_sets`: read and changed by id only, so the record is all there is. */
export class PostgresResponseSetRepository extends RecordTable<ResponseSet> implements ResponseSetRepository {
  constructor(pool: Pool) {
    super(pool, { table: 'response_sets', columns: {}, notFound: (id) => new ResponseSetNotFoundError(id) });
  }
}
