/**
 * @packageDocumentation
 * Everything stored about one person, found across every store, for a data request (AVG art. 15:
 * `subject-export`) and an erasure (art. 17: `subject-erase`). The domain rule lives here once; the
 * stores are ports: the embedded file store (`storage/fileSubjectRecords.ts`) or PostgreSQL
 * (`storage/postgres/postgresSubjectRecords.ts`) for the domain records, and the local Direct Line's
 * files (`storage/fileDirectLineRecords.ts`), which stay on disk with either.
 *
 * @remarks A person is known by the id an admin gives (a professional id, or a client's channel user
 * id) and by the ids found from it: the channel user ids a professional chatted under (their bot
 * state names their professional id), the conversations of those users (local Direct Line records,
 * stored conversation references). From those come their rounds (as professional or as client), their
 * own response sets, their conversation references, their bot state (user and conversation state),
 * their access-log entries and the rate-limit rows keyed by their ids.
 *
 * An erasure deletes the person's rounds whole, with both sides' answers: a round is one
 * relationship, and the other side's answers about it cannot stay without it. It then removes the
 * professional record and every index entry, replaces the person's ids and rounds by `erased` in the
 * access log, and finally sweeps every store for a record that still names the person (left by a
 * crash between two writes, say) and deletes that too. The domain records go first (on PostgreSQL in
 * one transaction, so a failure leaves everything as it was and the command can simply run again),
 * the Direct Line files after them. The running bot's in-memory Direct Line transcripts are not on
 * disk and go with its next restart.
 */
import type { AccessEntry, AccessLog } from '../access/accessLog';
import type { StoredConversationReference } from '../conversations/conversationReferenceRepository';
import { clientReferenceKey, professionalReferenceKey } from '../conversations/conversationReferenceRepository';
import type { Professional } from '../professionals/professional';
import type { ResponseSet } from '../questionnaire/responseSet';
import type { Round } from '../rounds/round';

export interface StoredRecord {
  key: string;
  value: unknown;
}

/** A row of a shared rate limit or attempt limiter keyed by the person's id or their round's. */
export interface LimiterRecord {
  /** The limiter (`token-requests-per-identity`) or attempt scope (`identity`, `round`). */
  limiter: string;
  key: string;
  at: string;
}

export interface SubjectData {
  subjectId: string;
  collectedAt: string;
  /** The ids the bot knows this person by: the one asked for and the channel user ids found from it. */
  personIds: string[];
  professional: Professional | null;
  rounds: Round[];
  /** The person's own answers (the other side's answers in the same rounds are theirs, not this person's). */
  responseSets: ResponseSet[];
  conversationReferences: StoredConversationReference[];
  botState: StoredRecord[];
  directLineConversations: StoredRecord[];
  accessLog: AccessEntry[];
  /** Failed code attempts and token requests on record (PostgreSQL; the embedded store keeps them in memory only). */
  limiterRecords: LimiterRecord[];
}

export interface ErasureReport {
  professional: boolean;
  rounds: number;
  /** Own sets and the other side's sets of the erased rounds. */
  responseSets: number;
  conversationReferences: number;
  botState: number;
  directLineConversations: number;
  accessLogEntriesRedacted: number;
  limiterRecords: number;
  /** Records found only by the final sweep (should be 0). */
  strayRecords: number;
}

/** What an erasure removes: the person's data, and the other side's sets of their rounds. */
export interface FoundSubject extends SubjectData {
  linkedResponseSetIds: string[];
}

/** What a store did in `erase`. */
export interface StoreErasure {
  accessLogEntriesRedacted: number;
  /** Records the final sweep found and deleted. */
  strayRecords: number;
}

/** The domain records: rounds, response sets, professionals, conversation references, bot state, limiter rows, access log. */
export interface SubjectRecordStore {
  professional(id: string): Promise<Professional | undefined>;
  conversationReference(key: string): Promise<StoredConversationReference | undefined>;
  /** botbuilder state records, keyed `<channel>/users/<user id>/` and `<channel>/conversations/<conversation id>/`. */
  botState(): AsyncIterable<StoredRecord>;
  rounds(): AsyncIterable<Round>;
  responseSets(): AsyncIterable<ResponseSet>;
  limiterRecords(personIds: readonly string[], roundIds: readonly string[]): Promise<LimiterRecord[]>;
  /**
   * Deletes or redacts everything in `found`, then sweeps for records that still mention
   * `found.personIds` (anywhere) or the erased rounds and sets (in the round records), and throws
   * rather than report success when anything is left.
   */
  erase(found: FoundSubject, mentions: ErasureMentions): Promise<StoreErasure>;
}

/** The local Direct Line's records: a conversation record (`{ id, userId }`) per conversation, and its transcript. */
export interface DirectLineRecords {
  conversations(): AsyncIterable<StoredRecord>;
  /**
   * Deletes the given conversations whole, turns activities naming an erased round or set in other
   * transcripts into deleted entries, and sweeps its records for the person; resolves to the records
   * found only by that sweep.
   */
  erase(conversationIds: ReadonlySet<string>, mentions: ErasureMentions): Promise<number>;
}

/** What an erasure looks for: the person's ids (anywhere), the erased rounds' and sets' ids, and both (in round records). */
export interface ErasureMentions {
  person: IdMentions;
  roundOrSet: IdMentions;
  personOrRound: IdMentions;
}

/**
 * Finds an id in JSON text as a whole string or as the last part of one (`client:<id>`,
 * `…/users/<id>`), never as part of a longer id (`pro-1` in `pro-10`).
 *
 * @remarks The same needles serve the file store (`includes` on the record's JSON) and PostgreSQL
 * (`strpos` on the row's jsonb text), so both sweeps find exactly the same records.
 */
export class IdMentions {
  readonly needles: readonly string[];

  constructor(ids: Iterable<string>) {
    this.needles = [...new Set(ids)]
      .filter((id) => id !== '')
      .flatMap((id) => {
        const escaped = JSON.stringify(id).slice(1, -1);
        return [`"${escaped}"`, `/${escaped}"`, `:${escaped}"`];
      });
  }

  in(json: string): boolean {
    return this.needles.some((needle) => json.includes(needle));
  }
}

export class SubjectRecords {
  constructor(
    private readonly store: SubjectRecordStore,
    private readonly directLine: DirectLineRecords,
    private readonly accessLog: AccessLog,
    private readonly now: () => Date,
  ) {}

  async collect(subjectId: string): Promise<SubjectData> {
    const { linkedResponseSetIds: _linked, ...data } = await this.discover(subjectId);
    return data;
  }

  async erase(subjectId: string): Promise<ErasureReport> {
    const found = await this.discover(subjectId);
    const roundAndSetIds = [
      ...found.rounds.map((round) => round.id),
      ...found.responseSets.map((set) => set.id),
      ...found.linkedResponseSetIds,
    ];
    const mentions: ErasureMentions = {
      person: new IdMentions(found.personIds),
      roundOrSet: new IdMentions(roundAndSetIds),
      personOrRound: new IdMentions([...found.personIds, ...roundAndSetIds]),
    };
    const stored = await this.store.erase(found, mentions);
    const directLineStrays = await this.directLine.erase(new Set(found.directLineConversations.map((record) => record.key)), mentions);
    return {
      professional: found.professional !== null,
      rounds: found.rounds.length,
      responseSets: found.responseSets.length + found.linkedResponseSetIds.length,
      conversationReferences: found.conversationReferences.length,
      botState: found.botState.length,
      directLineConversations: found.directLineConversations.length,
      accessLogEntriesRedacted: stored.accessLogEntriesRedacted,
      limiterRecords: found.limiterRecords.length,
      strayRecords: stored.strayRecords + directLineStrays,
    };
  }

  private async discover(subjectId: string): Promise<FoundSubject> {
    const personIds = new Set<string>();
    // The bot knows a client as `<channel>:<channel user id>`; botbuilder state and Direct Line by the bare user id.
    const addPerson = (id: string, channel?: string): void => {
      personIds.add(id);
      const colon = id.indexOf(':');
      if (colon > 0) personIds.add(id.slice(colon + 1));
      if (channel) personIds.add(`${channel}:${id}`);
    };
    addPerson(subjectId);
    const conversationIds = new Set<string>();
    const references = new Map<string, StoredConversationReference>();
    const state = new Map<string, StoredRecord>();
    const directLine = new Map<string, StoredRecord>();
    const professional = (await this.store.professional(subjectId)) ?? null;

    // Each pass can find a new channel user id or conversation; stop when one finds nothing new.
    for (let pass = 0; pass < 10; pass += 1) {
      const before = personIds.size + conversationIds.size;
      for (const id of personIds) {
        for (const key of [professionalReferenceKey(id), clientReferenceKey(id)]) {
          const reference = await this.store.conversationReference(key);
          if (!reference) continue;
          references.set(key, reference);
          const { user, conversation, channelId } = reference.reference as {
            user?: { id?: unknown };
            conversation?: { id?: unknown };
            channelId?: unknown;
          };
          if (typeof user?.id === 'string') addPerson(user.id, typeof channelId === 'string' ? channelId : undefined);
          if (typeof conversation?.id === 'string') conversationIds.add(conversation.id);
        }
      }
      for await (const record of this.directLine.conversations()) {
        const { id, userId } = record.value as { id?: unknown; userId?: unknown };
        if (typeof userId === 'string' && typeof id === 'string' && (personIds.has(userId) || conversationIds.has(id))) {
          directLine.set(record.key, record);
          addPerson(userId, 'directline');
          conversationIds.add(id);
        }
      }
      const names = new IdMentions(personIds);
      for await (const record of this.store.botState()) {
        // botbuilder's keys: `<channel>/users/<user id>/` and `<channel>/conversations/<conversation id>/`.
        const [, channel, user] = /^([^/]+)\/users\/([^/]+)\/?$/.exec(record.key) ?? [];
        const conversation = /^[^/]+\/conversations\/([^/]+)\/?$/.exec(record.key)?.[1];
        const mine =
          (user !== undefined && (personIds.has(user) || names.in(JSON.stringify(record.value)))) ||
          (conversation !== undefined && conversationIds.has(conversation));
        if (!mine) continue;
        state.set(record.key, record);
        if (user !== undefined) addPerson(user, channel);
      }
      if (personIds.size + conversationIds.size === before) break;
    }

    const rounds: Round[] = [];
    for await (const round of this.store.rounds()) {
      if (personIds.has(round.professionalId) || (round.clientUserId !== null && personIds.has(round.clientUserId))) rounds.push(round);
    }
    const roundIds = new Set(rounds.map((round) => round.id));
    const roundSetIds = new Set(rounds.flatMap((round) => [round.clientResponseSetId, round.professionalResponseSetId]));
    const own: ResponseSet[] = [];
    const linked: string[] = [];
    for await (const set of this.store.responseSets()) {
      if (personIds.has(set.respondentId)) own.push(set);
      else if ((set.roundId !== null && roundIds.has(set.roundId)) || roundSetIds.has(set.id)) linked.push(set.id);
    }
    const accessLog: AccessEntry[] = [];
    for await (const entry of this.accessLog.read({})) {
      const who = entry.who.slice(entry.who.indexOf(':') + 1);
      if (
        personIds.has(who) ||
        (entry.subjectId !== undefined && personIds.has(entry.subjectId)) ||
        (entry.roundId !== null && roundIds.has(entry.roundId))
      ) {
        accessLog.push(entry);
      }
    }
    return {
      subjectId,
      collectedAt: this.now().toISOString(),
      personIds: [...personIds],
      professional,
      rounds,
      responseSets: own,
      conversationReferences: [...references.values()],
      botState: [...state.values()],
      directLineConversations: [...directLine.values()],
      accessLog,
      limiterRecords: await this.store.limiterRecords([...personIds], [...roundIds]),
      linkedResponseSetIds: linked,
    };
  }
}

/** An erasure found the person still there after deleting: nothing was committed. */
export class ErasureIncompleteError extends Error {
  readonly code = 'ERASURE_INCOMPLETE';
  /** Where records were left, as `<table or collection>: <count>`. */
  constructor(readonly left: string[]) {
    super(`Erasure rolled back: records still name the person (${left.join(', ')})`);
    this.name = 'ErasureIncompleteError';
  }
}
