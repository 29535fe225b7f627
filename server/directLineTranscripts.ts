import { JsonFileStore } from '../storage/jsonFileStore';
import { jsonBytes, trimTranscript } from './transcriptBudget';

/**
 * The local Direct Line's transcripts, kept in memory for speed and written through the embedded
 * store, so a restart (even `kill -9`) keeps every page's history and watermark.
 *
 * @remarks lowdb rewrites a whole record per write, and a transcript grows with every card. So a
 * transcript is stored in segments of {@link SEGMENT_SIZE} activities (one record each, keyed by
 * conversation and segment number) plus a small head record with the watermark of its first
 * activity. A new activity rewrites only the last segment; an updated one only its own segment.
 * Entries never move, so a watermark keeps meaning the same activity after a restart. Writes of one
 * conversation are coalesced: while one runs, later changes wait and go out together in the next.
 * How many activities or bytes a transcript may hold is the Direct Line's rule (it calls `trim`), not
 * this store's; the bytes held in memory are counted here, so least recently used transcripts leave
 * memory (never the disk) when over `maxBytesInMemory`.
 */

export interface StoredActivity {
  id?: string;
  [field: string]: unknown;
}

export interface Transcript {
  /** Watermark of `activities[0]`. */
  base: number;
  activities: StoredActivity[];
  /** Sum of `jsonBytes` over `activities`. */
  bytes: number;
}

export const SEGMENT_SIZE = 16;
const HEADS = 'directline-transcripts';
const SEGMENTS = 'directline-segments';

interface Head {
  base: number;
}

interface Dirty {
  head: boolean;
  /** Segment numbers (watermark / SEGMENT_SIZE) to write. */
  segments: Set<number>;
  /** Segments that no longer hold any kept activity. */
  dropped: Set<number>;
}

export class DirectLineTranscripts {
  private readonly cache = new Map<string, Transcript>();
  private readonly loading = new Map<string, Promise<Transcript>>();
  private readonly dirty = new Map<string, Dirty>();
  /** The newest write of each conversation (started or waiting for the one before it). */
  private readonly writes = new Map<string, Promise<void>>();
  /** Writes that have not started yet: a change made now is part of them. */
  private readonly waiting = new Map<string, Promise<void>>();
  private bytesInMemory = 0;

  /**
   * @param maxInMemory transcripts kept in memory (least recently used leave first; they stay on disk).
   * @param maxBytesInMemory bytes all transcripts in memory may hold together.
   */
  constructor(
    private readonly store: JsonFileStore,
    private readonly maxInMemory = 2000,
    private readonly maxBytesInMemory = Number.POSITIVE_INFINITY,
  ) {}

  /** Bytes held by the transcripts in memory now (for tests and benchmarks). */
  heldBytes(): number {
    return this.bytesInMemory;
  }

  /** Drops a transcript from memory (its records on disk stay); one with changes not yet on disk stays. */
  forget(conversationId: string): void {
    const transcript = this.cache.get(conversationId);
    if (!transcript || this.writes.has(conversationId) || this.dirty.has(conversationId)) return;
    this.cache.delete(conversationId);
    this.bytesInMemory -= transcript.bytes;
  }

  /** The transcript of a conversation, from memory or disk; an empty one when it has none. Read it, change it through the methods below. */
  async get(conversationId: string): Promise<Transcript> {
    const cached = this.cache.get(conversationId);
    if (cached) {
      this.touch(conversationId, cached);
      return cached;
    }
    let loading = this.loading.get(conversationId);
    if (!loading) {
      loading = this.load(conversationId).then((loaded) => {
        // A concurrent caller may have cached it meanwhile: keep one object per conversation.
        const current = this.cache.get(conversationId) ?? loaded;
        this.touch(conversationId, current);
        return current;
      });
      this.loading.set(conversationId, loading);
      void loading.finally(() => this.loading.delete(conversationId)).catch(() => undefined);
    }
    return loading;
  }

  /**
   * Adds an activity at the end. Resolves at once with the watermark after it and `saved`, which
   * resolves when it is on disk (so a caller can stream it first and acknowledge it after).
   */
  async append(conversationId: string, activity: StoredActivity): Promise<{ watermark: number; saved: Promise<void> }> {
    const transcript = await this.get(conversationId);
    transcript.activities.push(activity);
    this.account(conversationId, transcript, jsonBytes(activity));
    const watermark = transcript.base + transcript.activities.length;
    this.markSegment(conversationId, watermark - 1);
    return { watermark, saved: this.save(conversationId) };
  }

  /** Puts `activity` in place of the entry at `index` (an update or a deletion keeps its place). */
  async replace(conversationId: string, index: number, activity: StoredActivity): Promise<void> {
    const transcript = await this.get(conversationId);
    if (index < 0 || index >= transcript.activities.length) return;
    this.account(conversationId, transcript, jsonBytes(activity) - jsonBytes(transcript.activities[index]));
    transcript.activities[index] = activity;
    this.markSegment(conversationId, transcript.base + index);
    return this.save(conversationId);
  }

  /**
   * Keeps only the newest activities that fit `keep` (a count) and `maxBytes` (the transcript budget's
   * trimming); older segments leave the disk.
   */
  async trim(conversationId: string, keep: number, maxBytes = Number.POSITIVE_INFINITY): Promise<void> {
    const transcript = await this.get(conversationId);
    const oldBase = transcript.base;
    const freed = trimTranscript(transcript, maxBytes, keep);
    if (transcript.base === oldBase) return;
    this.bytesInMemory -= freed;
    const dirty = this.dirtyOf(conversationId);
    dirty.head = true;
    for (let segment = Math.floor(oldBase / SEGMENT_SIZE); segment < Math.floor(transcript.base / SEGMENT_SIZE); segment += 1) {
      dirty.dropped.add(segment);
      dirty.segments.delete(segment);
    }
    return this.save(conversationId);
  }

  /** Continues numbering at `watermark` for a transcript that has nothing (lost, or trimmed away). */
  async skipTo(conversationId: string, watermark: number): Promise<void> {
    const transcript = await this.get(conversationId);
    if (transcript.activities.length > 0 || watermark <= transcript.base) return;
    transcript.base = watermark;
    this.dirtyOf(conversationId).head = true;
    return this.save(conversationId);
  }

  /** Resolves when every write of this conversation asked for so far is done (failed ones included). */
  async settled(conversationId: string): Promise<void> {
    for (let write = this.writes.get(conversationId); write; write = this.writes.get(conversationId)) {
      await write.catch(() => undefined);
      if (this.writes.get(conversationId) === write) return;
    }
  }

  /** Resolves when every write asked for so far is on disk. */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes.values()]);
  }

  private save(conversationId: string): Promise<void> {
    const waiting = this.waiting.get(conversationId);
    if (waiting) return waiting;
    const previous = this.writes.get(conversationId) ?? Promise.resolve();
    const write = previous
      .catch(() => undefined)
      .then(() => {
        this.waiting.delete(conversationId);
        return this.writeDirty(conversationId);
      });
    this.waiting.set(conversationId, write);
    this.writes.set(conversationId, write);
    void write
      .finally(() => {
        if (this.writes.get(conversationId) === write) this.writes.delete(conversationId);
      })
      .catch(() => undefined);
    return write;
  }

  private async writeDirty(conversationId: string): Promise<void> {
    const dirty = this.dirty.get(conversationId);
    const transcript = this.cache.get(conversationId);
    this.dirty.delete(conversationId);
    if (!dirty || !transcript) return;
    const writes: Promise<void>[] = [];
    for (const segment of dirty.segments) {
      const start = segment * SEGMENT_SIZE - transcript.base;
      const from = Math.max(0, start);
      const activities = transcript.activities.slice(from, start + SEGMENT_SIZE);
      // A segment cut by trimming keeps its absolute numbering: pad the part that left with nothing.
      const padded: (StoredActivity | null)[] = [...Array<null>(from - start).fill(null), ...activities];
      writes.push(this.store.write(SEGMENTS, segmentKey(conversationId, segment), padded));
    }
    for (const segment of dirty.dropped) writes.push(this.store.delete(SEGMENTS, segmentKey(conversationId, segment)));
    // Segments first: a head never points past what is on disk.
    await Promise.all(writes);
    if (dirty.head) await this.store.write<Head>(HEADS, conversationId, { base: transcript.base });
  }

  private async load(conversationId: string): Promise<Transcript> {
    const head = await this.store.read<Head>(HEADS, conversationId);
    const base = head && typeof head.base === 'number' && head.base >= 0 ? head.base : 0;
    const activities: StoredActivity[] = [];
    for (let segment = Math.floor(base / SEGMENT_SIZE); ; segment += 1) {
      const stored = await this.store.read<(StoredActivity | null)[]>(SEGMENTS, segmentKey(conversationId, segment));
      if (!Array.isArray(stored)) break;
      const skip = segment * SEGMENT_SIZE < base ? base - segment * SEGMENT_SIZE : 0;
      for (const activity of stored.slice(skip)) activities.push(activity ?? { type: 'deleted' });
      if (stored.length < SEGMENT_SIZE) break;
    }
    return { base, activities, bytes: activities.reduce((sum, activity) => sum + jsonBytes(activity), 0) };
  }

  private markSegment(conversationId: string, watermarkIndex: number): void {
    const dirty = this.dirtyOf(conversationId);
    dirty.segments.add(Math.floor(watermarkIndex / SEGMENT_SIZE));
  }

  private dirtyOf(conversationId: string): Dirty {
    let dirty = this.dirty.get(conversationId);
    if (!dirty) this.dirty.set(conversationId, (dirty = { head: false, segments: new Set(), dropped: new Set() }));
    return dirty;
  }

  private account(conversationId: string, transcript: Transcript, bytes: number): void {
    transcript.bytes += bytes;
    if (this.cache.get(conversationId) === transcript) this.bytesInMemory += bytes;
  }

  private touch(conversationId: string, transcript: Transcript): void {
    if (!this.cache.delete(conversationId)) this.bytesInMemory += transcript.bytes;
    this.cache.set(conversationId, transcript);
    // Least recently used first; one with changes not yet on disk stays until they are.
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= this.maxInMemory && this.bytesInMemory <= this.maxBytesInMemory) break;
      if (oldest !== conversationId) this.forget(oldest);
    }
  }
}

function segmentKey(conversationId: string, segment: number): string {
  return `${conversationId}#${segment}`;
}
