/**
 * @packageDocumentation
 * Who looked at what: every view of a summary (chat card, tab), of a tab page, every export and
 * every admin command, one entry each.
 *
 * @remarks An entry names who (`professional:<id>` or `admin:<login>`), what, which round and when,
 * and never answers, comments or client labels. Entries are kept as long as rounds are
 * (`RETENTION_DAYS`), and an erasure removes the erased person's ids from them while keeping the
 * fact that something was viewed. The file adapter is `storage/fileAccessLog.ts`.
 */

export type AccessAction =
  /** A summary card sent in chat, proactively or on request. */
  | 'chat-summary'
  | 'tab-rounds'
  | 'tab-clients'
  | 'tab-summary'
  | 'tab-export'
  /** An admin command, with the command's name in `detail`. */
  | 'admin-command';

export interface AccessEntry {
  at: string;
  who: string;
  what: AccessAction;
  roundId: string | null;
  /** A short, answer-free detail: an admin command's name, an export format. */
  detail?: string;
  /** The person a subject command was about (an id), so that their erasure can remove it. */
  subjectId?: string;
}

export interface AccessLogFilter {
  roundId?: string;
}

export interface AccessLog {
  record(entry: AccessEntry): Promise<void>;
  /** Oldest first. */
  read(filter: AccessLogFilter): AsyncIterable<AccessEntry>;
  /**
   * Erasure: replaces the given people's ids (in `who` and `subjectId`) and the given round ids by
   * `erased` in every entry; returns how many entries changed.
   */
  redact(personIds: ReadonlySet<string>, roundIds: ReadonlySet<string>): Promise<number>;
}

/** The marker that replaces an erased id. */
export const ERASED = 'erased';

export function professionalActor(professionalId: string): string {
  return `professional:${professionalId}`;
}

export function adminActor(login: string): string {
  return `admin:${login}`;
}

/** Replaces erased ids in one entry; returns the very entry when nothing changed. */
export function redactEntry(entry: AccessEntry, personIds: ReadonlySet<string>, roundIds: ReadonlySet<string>): AccessEntry {
  const separator = entry.who.indexOf(':');
  const whoId = separator >= 0 ? entry.who.slice(separator + 1) : entry.who;
  const eraseWho = personIds.has(whoId);
  const eraseSubject = entry.subjectId !== undefined && personIds.has(entry.subjectId);
  const eraseRound = entry.roundId !== null && roundIds.has(entry.roundId);
  if (!eraseWho && !eraseSubject && !eraseRound) return entry;
  return {
    ...entry,
    who: eraseWho ? `${separator >= 0 ? entry.who.slice(0, separator) : 'person'}:${ERASED}` : entry.who,
    roundId: eraseRound ? ERASED : entry.roundId,
    ...(eraseSubject ? { subjectId: ERASED } : {}),
  };
}
