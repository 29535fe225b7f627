import { ConversationReferenceRepository, StoredConversationReference } from '../services/conversations/conversationReferenceRepository';
import { JsonFileStore } from './jsonFileStore';

/** Conversation references on the file store, one small file per person. */
export class FileConversationReferenceRepository implements ConversationReferenceRepository {
  private static readonly COLLECTION = 'conversation-references';

  constructor(
    private readonly store: JsonFileStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async save(key: string, reference: Record<string, unknown>): Promise<void> {
    const record: StoredConversationReference = { key, reference, updatedAt: this.now().toISOString() };
    await this.store.write<StoredConversationReference>(FileConversationReferenceRepository.COLLECTION, key, record);
  }

  async get(key: string): Promise<Record<string, unknown> | undefined> {
    const record = await this.store.read<StoredConversationReference>(FileConversationReferenceRepository.COLLECTION, key);
    return record?.reference;
  }

  delete(key: string): Promise<void> {
    return this.store.delete(FileConversationReferenceRepository.COLLECTION, key);
  }
}
