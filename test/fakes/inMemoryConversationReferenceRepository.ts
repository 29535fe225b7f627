import { ConversationReferenceRepository } from '../../services/conversations/conversationReferenceRepository';

/** Conversation references in a Map, for dialog and scheduler tests. */
export class InMemoryConversationReferenceRepository implements ConversationReferenceRepository {
  readonly references = new Map<string, Record<string, unknown>>();

  async save(key: string, reference: Record<string, unknown>): Promise<void> {
    this.references.set(key, structuredClone(reference));
  }

  async get(key: string): Promise<Record<string, unknown> | undefined> {
    const found = this.references.get(key);
    return found ? structuredClone(found) : undefined;
  }

  async delete(key: string): Promise<void> {
    this.references.delete(key);
  }
}
