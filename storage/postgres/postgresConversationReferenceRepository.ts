import type { Pool } from 'pg';
import type { ConversationReferenceRepository } from '../../services/conversations/conversationReferenceRepository';

/** Conversation references in `conversation_references`, one row per key; the latest save wins. */
export class PostgresConversationReferenceRepository implements ConversationReferenceRepository {
  constructor(
    private readonly pool: Pool,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async save(key: string, reference: Record<string, unknown>): Promise<void> {
    await this.pool.query(
      `INSERT INTO conversation_references (key, reference, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET reference = EXCLUDED.reference, updated_at = EXCLUDED.updated_at`,
      [key, JSON.stringify(reference), this.now().toISOString()],
    );
  }

  async get(key: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.pool.query<{ reference: Record<string, unknown> }>(
      'SELECT reference FROM conversation_references WHERE key = $1',
      [key],
    );
    return result.rows[0]?.reference;
  }

  async delete(key: string): Promise<void> {
    await this.pool.query('DELETE FROM conversation_references WHERE key = $1', [key]);
  }
}
