import type { AccessEntry, AccessLog } from '../services/access/accessLog';
import type { StoredConversationReference } from '../services/conversations/conversationReferenceRepository';
import { clientReferenceKey, professionalReferenceKey } from '../services/conversations/conversationReferenceRepository';
import type { Professional } from '../services/professionals/professional';
import type { ResponseSet } from '../services/questionnaire/responseSet';
import type { Round } from '../services/rounds/round';
import { FileConversationReferenceRepository } from './fileConversationReferenceRepository';
import { FileProfessionalRepository } from './fileProfessionalRepository';
import { FileResponseSetRepository } from './fileResponseSetRepository';
import { FileRoundRepository } from './fileRoundRepository';
import type { JsonFileStore } from './jsonFileStore';
import { RoundDueIndex } from './roundDueIndex';

/**
 * Everything stored about one person, found across every collection, for a data request (AVG art.
 * 15: `subject-export`) and an erasure (art. 17: `subject-erase`).
 *
 * @remarks A person is known by the id an admin gives (a professional id, or a client's channel user
 * id) and by the ids found from it: the channel user ids a professional chatted under (their bot
 * state names their professional id), the conversations of those users (local Direct Line records,
 * stored conversation references). From those come their rounds (as professional or as client), their
 * own response sets, their conversation references, their bot state (user and conversation state) and
 * their access-log entries.
 *
 * An erasure deletes the person's rounds whole, with both sides' answers: a round is one
 * relationship, and the other side's answers about it cannot stay without it. It then removes the
 * professional record and every index entry, replaces the person's ids and rounds by `erased` in the
 * access log, and finally sweeps every collection for a record that still names the person (left by
 * a crash between two writes, say) and deletes that too. The running bot's in-memory Direct Line
 * transcripts are not on disk and go with its next restart.
 */

/** Collections that only the channel layer writes (botbuilder state, the local Direct Line). */
const STATE = 'state';
const DIRECT_LINE = 'directline';
/** The local Direct Line's stored transcripts (server/directLineTranscripts.ts): a head per conversation, segments keyed `<id>#<n>`. */
const DIRECT_LINE_HEADS = 'directline-transcripts';
const DIRECT_LINE_SEGMENTS = 'directline-segments';
/** Collections whose records belong to a round, swept for the erased rounds' and sets' ids as well. */
const ROUND_COLLECTIONS = new Set(['rounds', 'round-index', 'responses']);

export interface StoredRecord {
  key: string;
  value: unknown;
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
  /** Records found only by the final sweep (should be 0). */
  strayRecords: number;
}

interface Discovery extends SubjectData {
  /** Sets of the erased rounds that belong to the other side. */
  linkedResponseSetIds: string[];
}

export class FileSubjectRecords {
  private readonly rounds: FileRoundRepository;
  private readonly responses: FileResponseSetRepository;
  private readonly professionals: FileProfessionalRepository;
  private readonly references: FileConversationReferenceRepository;

  constructor(
    private readonly store: JsonFileStore,
    private readonly accessLog: AccessLog,
    private readonly now: () => Date,
  ) {
    this.rounds = new FileRoundRepository(store);
    this.responses = new FileResponseSetRepository(store);
    this.professionals = new FileProfessionalRepository(store);
    this.references = new FileConversationReferenceRepository(store);
  }

  async collect(subjectId: string): Promise<SubjectData> {
    const { linkedResponseSetIds: _linked, ...data } = await this.discover(subjectId);
    return data;
  }

  async erase(subjectId: string): Promise<ErasureReport> {
    const found = await this.discover(subjectId);
    for (const round of found.rounds) await this.rounds.delete(round.id);
    const setIds = [...found.responseSets.map((set) => set.id), ...found.linkedResponseSetIds];
    for (const id of setIds) await this.responses.delete(id);
    for (const reference of found.conversationReferences) await this.references.delete(reference.key);
    for (const record of found.botState) await this.store.delete(STATE, record.key);
    for (const record of found.directLineConversations) await this.store.delete(DIRECT_LINE, record.key);
    await this.eraseTranscripts(
      new Set(found.directLineConversations.map((record) => record.key)),
      idPattern([...found.rounds.map((round) => round.id), ...setIds]),
    );
    if (found.professional) await this.professionals.delete(found.professional.id);
    const roundIds = new Set(found.rounds.map((round) => round.id));
    const accessLogEntriesRedacted = await this.accessLog.redact(new Set(found.personIds), roundIds);
    const strayRecords = await this.sweep(found.personIds, [...roundIds, ...setIds]);
    await this.store.flush();
    return {
      professional: found.professional !== null,
      rounds: found.rounds.length,
      responseSets: setIds.length,
      conversationReferences: found.conversationReferences.length,
      botState: found.botState.length,
      directLineConversations: found.directLineConversations.length,
      accessLogEntriesRedacted,
      strayRecords,
    };
  }

  private async discover(subjectId: string): Promise<Discovery> {
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
    const professional = (await this.professionals.get(subjectId)) ?? null;

    // Each pass can find a new channel user id or conversation; stop when one finds nothing new.
    for (let pass = 0; pass < 10; pass += 1) {
      const before = personIds.size + conversationIds.size;
      for (const id of personIds) {
        for (const key of [professionalReferenceKey(id), clientReferenceKey(id)]) {
          const reference = await this.store.read<StoredConversationReference>('conversation-references', key);
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
      for await (const record of this.store.stream<{ id?: unknown; userId?: unknown }>(DIRECT_LINE)) {
        const { id, userId } = record.value;
        if (typeof userId === 'string' && typeof id === 'string' && (personIds.has(userId) || conversationIds.has(id))) {
          directLine.set(record.key, record);
          addPerson(userId, 'directline');
          conversationIds.add(id);
        }
      }
      const names = idPattern([...personIds]);
      for await (const record of this.store.stream<unknown>(STATE)) {
        // botbuilder's keys: `<channel>/users/<user id>/` and `<channel>/conversations/<conversation id>/`.
        const [, channel, user] = /^([^/]+)\/users\/([^/]+)\/?$/.exec(record.key) ?? [];
        const conversation = /^[^/]+\/conversations\/([^/]+)\/?$/.exec(record.key)?.[1];
        const mine =
          (user !== undefined && (personIds.has(user) || names.test(JSON.stringify(record.value)))) ||
          (conversation !== undefined && conversationIds.has(conversation));
        if (!mine) continue;
        state.set(record.key, record);
        if (user !== undefined) addPerson(user, channel);
      }
      if (personIds.size + conversationIds.size === before) break;
    }

    const rounds: Round[] = [];
    for await (const round of this.rounds.streamAll()) {
      if (personIds.has(round.professionalId) || (round.clientUserId !== null && personIds.has(round.clientUserId))) rounds.push(round);
    }
    const roundIds = new Set(rounds.map((round) => round.id));
    const roundSetIds = new Set(rounds.flatMap((round) => [round.clientResponseSetId, round.professionalResponseSetId]));
    const own: ResponseSet[] = [];
    const linked: string[] = [];
    for await (const { value: set } of this.store.stream<ResponseSet>('responses')) {
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
      linkedResponseSetIds: linked,
    };
  }

  /**
   * The transcripts of the person's Direct Line conversations go whole (they hold what the person
   * typed and was shown); in other people's transcripts, activities naming an erased round or set
   * become deleted entries (`null`), so their place and watermarks stay.
   */
  private async eraseTranscripts(conversationIds: Set<string>, erasedIds: RegExp): Promise<void> {
    const segments: string[] = [];
    const redacted: { key: string; value: unknown[] }[] = [];
    for await (const record of this.store.stream<unknown>(DIRECT_LINE_SEGMENTS)) {
      if (conversationIds.has(record.key.slice(0, record.key.lastIndexOf('#')))) segments.push(record.key);
      else if (Array.isArray(record.value) && erasedIds.test(JSON.stringify(record.value))) {
        redacted.push({
          key: record.key,
          value: record.value.map((activity: unknown) => (erasedIds.test(JSON.stringify(activity)) ? null : activity)),
        });
      }
    }
    for (const key of segments) await this.store.delete(DIRECT_LINE_SEGMENTS, key);
    for (const { key, value } of redacted) await this.store.write(DIRECT_LINE_SEGMENTS, key, value);
    for (const id of conversationIds) await this.store.delete(DIRECT_LINE_HEADS, id);
  }

  /** Deletes any record left that names the person (anywhere) or an erased round or set (in round collections). */
  private async sweep(personIds: string[], roundAndSetIds: string[]): Promise<number> {
    const people = idPattern(personIds);
    const roundsAndSets = idPattern([...personIds, ...roundAndSetIds]);
    let removed = 0;
    for (const collection of await this.store.collections()) {
      // A due-index bucket holds other rounds' ids too: deleting it would hide their deadlines. The
      // erased rounds left it in `rounds.delete`; an entry a crash left is a bare id that check-store drops.
      if (collection === RoundDueIndex.COLLECTION) continue;
      const pattern = ROUND_COLLECTIONS.has(collection) ? roundsAndSets : people;
      const stray: string[] = [];
      for await (const record of this.store.stream<unknown>(collection)) {
        if (pattern.test(JSON.stringify(record))) stray.push(record.key);
      }
      for (const key of stray) await this.store.delete(collection, key);
      removed += stray.length;
    }
    return removed;
  }
}

/**
 * Matches an id as a whole JSON string or as the last part of a key (`client:<id>`, `…/users/<id>`),
 * never as part of a longer id (`pro-1` in `pro-10`).
 */
function idPattern(ids: string[]): RegExp {
  const alternatives = ids.filter((id) => id !== '').map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return alternatives.length === 0 ? /$^/ : new RegExp(`["/:](?:${alternatives.join('|')})"`);
}
