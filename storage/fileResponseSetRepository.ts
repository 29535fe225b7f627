import { ResponseSetNotFoundError, ResponseSetRepository } from '../services/questionnaire/responseSetRepository';
import type { ResponseSet } from '../services/questionnaire/responseSet';
import { JsonFileStore } from './jsonFileStore';

/** Response sets on the file store: one file per set, so one answer rewrites one small file. */
export class FileResponseSetRepository implements ResponseSetRepository {
  private static readonly COLLECTION = 'responses';

  constructor(private readonly store: JsonFileStore) {}

  get(id: string): Promise<ResponseSet | undefined> {
    return this.store.read<ResponseSet>(FileResponseSetRepository.COLLECTION, id);
  }

  async create(responseSet: ResponseSet): Promise<void> {
    await this.store.update<ResponseSet>(FileResponseSetRepository.COLLECTION, responseSet.id, (current) => {
      if (current) throw new Error(`response set ${responseSet.id} exists already`);
      return responseSet;
    });
  }

  async update(id: string, change: (current: ResponseSet) => ResponseSet): Promise<ResponseSet> {
    const result = await this.store.update<ResponseSet>(FileResponseSetRepository.COLLECTION, id, (current) => {
      if (!current) throw new ResponseSetNotFoundError(id);
      return change(current);
    });
    if (!result) throw new ResponseSetNotFoundError(id);
    return result;
  }

  delete(id: string): Promise<void> {
    return this.store.delete(FileResponseSetRepository.COLLECTION, id);
  }
}
