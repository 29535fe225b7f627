import { ProfessionalRepository } from '../services/professionals/professionalRepository';
import { Professional, ProfessionalNotFoundError } from '../services/professionals/professional';
import { JsonFileStore } from './jsonFileStore';

interface ProfessionalPointer {
  professionalId: string;
}

/**
 * Professionals on the file store, one file each, with small index records so that signing in
 * reads two files instead of scanning all of them.
 *
 * @remarks Index records (`secret:<hash>`, `aad:<object id>` → professional id) are derived data:
 * new entries are written before a new record and after a changed one, old entries removed last,
 * and every lookup checks that the record it reaches still matches. A crash between two writes, or
 * a stale entry after a rotation, can therefore never sign in anyone.
 */
export class FileProfessionalRepository implements ProfessionalRepository {
  private static readonly COLLECTION = 'professionals';
  private static readonly INDEX = 'professional-index';

  constructor(private readonly store: JsonFileStore) {}

  get(id: string): Promise<Professional | undefined> {
    return this.store.read<Professional>(FileProfessionalRepository.COLLECTION, id);
  }

  async create(professional: Professional): Promise<void> {
    // Index first: a crash right after leaves a pointer to nothing (ignored), never an unreachable record.
    await this.syncIndex(undefined, professional);
    await this.store.update<Professional>(FileProfessionalRepository.COLLECTION, professional.id, (current) => {
      if (current) throw new Error(`professional ${professional.id} exists already`);
      return professional;
    });
  }

  async update(id: string, change: (current: Professional) => Professional): Promise<Professional> {
    let before: Professional | undefined;
    const after = await this.store.update<Professional>(FileProfessionalRepository.COLLECTION, id, (current) => {
      if (!current) throw new ProfessionalNotFoundError(id);
      before = structuredClone(current);
      return change(current);
    });
    if (!after) throw new ProfessionalNotFoundError(id);
    await this.syncIndex(before, after);
    return after;
  }

  /** Removes the record and its index entries (erasure); index last, so a crash leaves pointers to nothing. */
  async delete(id: string): Promise<void> {
    const current = await this.get(id);
    await this.store.delete(FileProfessionalRepository.COLLECTION, id);
    for (const key of current ? indexKeys(current) : []) {
      await this.store.update<ProfessionalPointer>(FileProfessionalRepository.INDEX, key, (pointer) =>
        pointer?.professionalId === id ? undefined : pointer,
      );
    }
  }

  async findByAccessSecretHash(hash: string): Promise<Professional | undefined> {
    const found = await this.follow(`secret:${hash}`);
    return found && found.accessSecretHash === hash ? found : undefined;
  }

  async findByAadObjectId(aadObjectId: string): Promise<Professional | undefined> {
    const found = await this.follow(`aad:${aadObjectId}`);
    return found && found.teams?.aadObjectId === aadObjectId ? found : undefined;
  }

  async list(): Promise<Professional[]> {
    const records = await this.store.list<Professional>(FileProfessionalRepository.COLLECTION);
    return records.map((record) => record.value);
  }

  private async follow(indexKey: string): Promise<Professional | undefined> {
    const pointer = await this.store.read<ProfessionalPointer>(FileProfessionalRepository.INDEX, indexKey);
    return pointer ? this.get(pointer.professionalId) : undefined;
  }

  private async syncIndex(before: Professional | undefined, after: Professional): Promise<void> {
    const oldKeys = before ? indexKeys(before) : [];
    const newKeys = indexKeys(after);
    for (const key of newKeys) {
      if (!oldKeys.includes(key))
        await this.store.write<ProfessionalPointer>(FileProfessionalRepository.INDEX, key, { professionalId: after.id });
    }
    for (const key of oldKeys) {
      if (newKeys.includes(key)) continue;
      // Remove only a pointer that is still ours.
      await this.store.update<ProfessionalPointer>(FileProfessionalRepository.INDEX, key, (pointer) =>
        pointer?.professionalId === after.id ? undefined : pointer,
      );
    }
  }
}

function indexKeys(professional: Professional): string[] {
  const keys: string[] = [];
  if (professional.accessSecretHash) keys.push(`secret:${professional.accessSecretHash}`);
  if (professional.teams) keys.push(`aad:${professional.teams.aadObjectId}`);
  return keys;
}
