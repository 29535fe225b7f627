import type { DirectLineRecords, ErasureMentions, StoredRecord } from '../services/subjects/subjectRecords';
import type { JsonFileStore } from './jsonFileStore';

/** The local Direct Line's conversation records (`{ id, userId }`, keyed by conversation id). */
const DIRECT_LINE = 'directline';
/** Its stored transcripts (server/directLineTranscripts.ts): a head per conversation, segments keyed `<id>#<n>`. */
const DIRECT_LINE_HEADS = 'directline-transcripts';
const DIRECT_LINE_SEGMENTS = 'directline-segments';

/**
 * A person's local Direct Line conversations on the file store, for `subject-export` and
 * `subject-erase`. They are files with either backend: the local Direct Line serves one instance
 * and keeps them under `DATA_DIR/records` even with `DATABASE_URL`.
 */
export class FileDirectLineRecords implements DirectLineRecords {
  static readonly COLLECTIONS: ReadonlySet<string> = new Set([DIRECT_LINE, DIRECT_LINE_HEADS, DIRECT_LINE_SEGMENTS]);

  constructor(private readonly store: JsonFileStore) {}

  async *conversations(): AsyncIterable<StoredRecord> {
    yield* this.store.stream<unknown>(DIRECT_LINE);
  }

  async erase(conversationIds: ReadonlySet<string>, mentions: ErasureMentions): Promise<number> {
    for (const id of conversationIds) await this.store.delete(DIRECT_LINE, id);
    await this.eraseTranscripts(conversationIds, mentions);
    let strays = 0;
    for (const collection of FileDirectLineRecords.COLLECTIONS) {
      const stray: string[] = [];
      for await (const record of this.store.stream<unknown>(collection)) {
        if (mentions.person.in(JSON.stringify(record))) stray.push(record.key);
      }
      for (const key of stray) await this.store.delete(collection, key);
      strays += stray.length;
    }
    await this.store.flush();
    return strays;
  }

  /**
   * The transcripts of the person's conversations go whole (they hold what the person typed and was
   * shown); in other people's transcripts, activities naming an erased round or set become deleted
   * entries (`null`), so their place and watermarks stay.
   */
  private async eraseTranscripts(conversationIds: ReadonlySet<string>, { roundOrSet }: ErasureMentions): Promise<void> {
    const segments: string[] = [];
    const redacted: { key: string; value: unknown[] }[] = [];
    for await (const record of this.store.stream<unknown>(DIRECT_LINE_SEGMENTS)) {
      if (conversationIds.has(record.key.slice(0, record.key.lastIndexOf('#')))) segments.push(record.key);
      else if (Array.isArray(record.value) && roundOrSet.in(JSON.stringify(record.value))) {
        redacted.push({
          key: record.key,
          value: record.value.map((activity: unknown) => (roundOrSet.in(JSON.stringify(activity)) ? null : activity)),
        });
      }
    }
    for (const key of segments) await this.store.delete(DIRECT_LINE_SEGMENTS, key);
    for (const { key, value } of redacted) await this.store.write(DIRECT_LINE_SEGMENTS, key, value);
    for (const id of conversationIds) await this.store.delete(DIRECT_LINE_HEADS, id);
  }
}
