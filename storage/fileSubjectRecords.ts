import type { AccessLog } from '../services/access/accessLog';
import type { StoredConversationReference } from '../services/conversations/conversationReferenceRepository';
import type { Professional } from '../services/professionals/professional';
import type { ResponseSet } from '../services/questionnaire/responseSet';
import type { Round } from '../services/rounds/round';
import type {
  ErasureMentions,
  FoundSubject,
  LimiterRecord,
  StoreErasure,
  StoredRecord,
  SubjectRecordStore,
} from '../services/subjects/subjectRecords';
import { FileConversationReferenceRepository } from './fileConversationReferenceRepository';
import { FileDirectLineRecords } from './fileDirectLineRecords';
import { FileProfessionalRepository } from './fileProfessionalRepository';
import { FileResponseSetRepository } from './fileResponseSetRepository';
import { FileRoundRepository } from './fileRoundRepository';
import type { JsonFileStore } from './jsonFileStore';
import { RoundDueIndex } from './roundDueIndex';

/** botbuilder's state collection (storage/fileStateStorage.ts). */
const STATE = 'state';
const REFERENCES = 'conversation-references';
/** Collections whose records belong to a round, swept for the erased rounds' and sets' ids as well. */
const ROUND_COLLECTIONS = new Set(['rounds', 'round-index', 'responses']);

/**
 * A person's records in the embedded store (`DATA_DIR`), for services/subjects/subjectRecords.ts.
 *
 * @remarks Deleting goes through the repositories, so their index entries go too. The final sweep
 * reads every collection but the Direct Line's own (`FileDirectLineRecords` sweeps those). Code
 * attempts and token requests are counted in memory here and go with a restart: none on disk.
 */
export class FileSubjectRecords implements SubjectRecordStore {
  private readonly roundRepository: FileRoundRepository;
  private readonly responseRepository: FileResponseSetRepository;
  private readonly professionals: FileProfessionalRepository;
  private readonly references: FileConversationReferenceRepository;

  constructor(
    private readonly store: JsonFileStore,
    private readonly accessLog: AccessLog,
  ) {
    this.roundRepository = new FileRoundRepository(store);
    this.responseRepository = new FileResponseSetRepository(store);
    this.professionals = new FileProfessionalRepository(store);
    this.references = new FileConversationReferenceRepository(store);
  }

  professional(id: string): Promise<Professional | undefined> {
    return this.professionals.get(id);
  }

  conversationReference(key: string): Promise<StoredConversationReference | undefined> {
    return this.store.read<StoredConversationReference>(REFERENCES, key);
  }

  botState(): AsyncIterable<StoredRecord> {
    return this.store.stream<unknown>(STATE);
  }

  rounds(): AsyncIterable<Round> {
    return this.roundRepository.streamAll();
  }

  async *responseSets(): AsyncIterable<ResponseSet> {
    for await (const { value } of this.store.stream<ResponseSet>('responses')) yield value;
  }

  async limiterRecords(): Promise<LimiterRecord[]> {
    return [];
  }

  async erase(found: FoundSubject, mentions: ErasureMentions): Promise<StoreErasure> {
    for (const round of found.rounds) await this.roundRepository.delete(round.id);
    for (const set of found.responseSets) await this.responseRepository.delete(set.id);
    for (const id of found.linkedResponseSetIds) await this.responseRepository.delete(id);
    for (const reference of found.conversationReferences) await this.references.delete(reference.key);
    for (const record of found.botState) await this.store.delete(STATE, record.key);
    if (found.professional) await this.professionals.delete(found.professional.id);
    const accessLogEntriesRedacted = await this.accessLog.redact(new Set(found.personIds), new Set(found.rounds.map((round) => round.id)));
    const strayRecords = await this.sweep(mentions);
    await this.store.flush();
    return { accessLogEntriesRedacted, strayRecords };
  }

  /** Deletes any record left that names the person (anywhere) or an erased round or set (in round collections). */
  private async sweep({ person, personOrRound }: ErasureMentions): Promise<number> {
    let removed = 0;
    for (const collection of await this.store.collections()) {
      // A due-index bucket holds other rounds' ids too: deleting it would hide their deadlines. The
      // erased rounds left it in `rounds.delete`; an entry a crash left is a bare id that check-store drops.
      if (collection === RoundDueIndex.COLLECTION || FileDirectLineRecords.COLLECTIONS.has(collection)) continue;
      const mentions = ROUND_COLLECTIONS.has(collection) ? personOrRound : person;
      const stray: string[] = [];
      for await (const record of this.store.stream<unknown>(collection)) {
        if (mentions.in(JSON.stringify(record))) stray.push(record.key);
      }
      for (const key of stray) await this.store.delete(collection, key);
      removed += stray.length;
    }
    return removed;
  }
}
