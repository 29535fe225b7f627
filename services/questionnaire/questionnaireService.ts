/**
 * @packageDocumentation
 * Filling in one questionnaire, one item at a time: where the respondent is, recording answers,
 * going back, skipping, completing. Pure domain; storage comes in through `ResponseSetRepository`.
 *
 * @remarks Every change goes through `ResponseSetRepository.update`, which applies it atomically and
 * returns only after it is on disk, so an answer the bot acknowledges is never lost. Changing a
 * stored answer needs an explicit request about *that* item; a replayed or late card click never
 * changes anything silently (see `AnswerOutcome`).
 */
import type { ItemBank, QuestionItem } from './itemBank';
import type { ItemAnswer, ResponseSet } from './responseSet';
import type { ResponseSetRepository } from './responseSetRepository';
import { Domain, Form, isScaleValue, Locale, Perspective, Register, ScaleValue } from '../vocabulary';

/** Longest comment kept; longer ones are cut, since comments are a note, not a report. */
export const MAX_COMMENT_CHARS = 500;
/** "What would help?" is offered after at most this many low answers per set. */
export const MAX_FOLLOW_UPS = 2;

export interface StartOptions {
  respondentId: string;
  perspective: Perspective;
  form: Form;
  locale: Locale;
  register: Register;
  domain: Domain | null;
  roundId: string | null;
}

export interface Position {
  /** The item to show, or `null` when every item has an answer (or a skip). */
  item: QuestionItem | null;
  /** 1-based number of the item in the form. */
  number: number;
  total: number;
  answered: number;
}

/**
 * What happened to an answer:
 * - `recorded`: stored (new, or a deliberate change of the item being shown);
 * - `unchanged`: the same value was already stored (a double click): nothing to do;
 * - `stale`: the click belongs to another item than the one shown; nothing changed;
 * - `alreadyAnswered`: the item shown got an answer after it was shown (a parallel submit, a
 *   second tab, an old card); nothing changed, `storedValue` is what stays;
 * - `closed`: the set is completed; nothing changed;
 * - `invalid`: not a value on the scale, or an item not in this form; nothing changed.
 */
export type AnswerOutcome =
  | { kind: 'recorded'; responseSet: ResponseSet }
  | { kind: 'unchanged'; responseSet: ResponseSet }
  | { kind: 'stale'; responseSet: ResponseSet; storedValue: ScaleValue | null | undefined }
  | { kind: 'alreadyAnswered'; responseSet: ResponseSet; storedValue: ScaleValue | null }
  | { kind: 'closed'; responseSet: ResponseSet }
  | { kind: 'invalid'; responseSet: ResponseSet };

/** Compare-and-set conditions of an answer. */
export interface AnswerGuard {
  /** The set's version when the item was shown; an answer stored since then is not replaced. */
  shownAtVersion?: number;
  /** The channel's id of this submit, so the same submit arriving twice is recognised as itself. */
  submitId?: string;
}

export class QuestionnaireService {
  constructor(
    private readonly bank: ItemBank,
    private readonly repository: ResponseSetRepository,
    private readonly now: () => Date,
    private readonly newId: () => string,
  ) {}

  get itemBank(): ItemBank {
    return this.bank;
  }

  async start(options: StartOptions): Promise<ResponseSet> {
    const at = this.now().toISOString();
    const responseSet: ResponseSet = {
      id: this.newId(),
      respondentId: options.respondentId,
      perspective: options.perspective,
      questionnaireId: this.bank.questionnaireId(options.form),
      questionnaireVersion: this.bank.version,
      form: options.form,
      locale: options.locale,
      register: options.register,
      domain: options.domain,
      roundId: options.roundId,
      answers: {},
      commentsShared: false,
      status: 'in-progress',
      startedAt: at,
      updatedAt: at,
      completedAt: null,
    };
    await this.repository.create(responseSet);
    return responseSet;
  }

  async get(id: string): Promise<ResponseSet | undefined> {
    return this.repository.get(id);
  }

  /** Removes a response set for good (a deleted round, or a person's request to erase their data). */
  async delete(id: string): Promise<void> {
    await this.repository.delete(id);
  }

  items(responseSet: ResponseSet): QuestionItem[] {
    return this.bank.items(responseSet.form, responseSet.perspective);
  }

  /** The first item without an answer, in asking order. */
  firstOpen(responseSet: ResponseSet): Position {
    const items = this.items(responseSet);
    const index = items.findIndex((item) => !(item.id in responseSet.answers));
    return this.position(responseSet, index < 0 ? null : items[index]);
  }

  /** The first open item after `itemId`; wraps to earlier open items; `null` item when all are done. */
  nextAfter(responseSet: ResponseSet, itemId: string): Position {
    const items = this.items(responseSet);
    const from = items.findIndex((item) => item.id === itemId);
    const later = items.slice(from + 1).find((item) => !(item.id in responseSet.answers));
    return later ? this.position(responseSet, later) : this.firstOpen(responseSet);
  }

  /** The item before `itemId`, to change its answer; `null` when `itemId` is the first. */
  previous(responseSet: ResponseSet, itemId: string | null): Position | null {
    const items = this.items(responseSet);
    const index = itemId === null ? items.length : items.findIndex((item) => item.id === itemId);
    if (index <= 0) return null;
    return this.position(responseSet, items[index - 1]);
  }

  positionOf(responseSet: ResponseSet, itemId: string): Position | null {
    const item = this.items(responseSet).find((candidate) => candidate.id === itemId);
    return item ? this.position(responseSet, item) : null;
  }

  /**
   * Records `value` (or a skip, `null`) for `itemId`, but only if that item is the one shown to the
   * respondent (`shownItemId`) and, when `shownAtVersion` is given, nobody answered it since the
   * set was at that version (compare-and-set). Anything else leaves the stored answers as they are.
   */
  async answer(
    responseSetId: string,
    itemId: string,
    value: unknown,
    shownItemId: string | null,
    guard: AnswerGuard = {},
  ): Promise<AnswerOutcome> {
    const { shownAtVersion, submitId } = guard;
    let outcome: AnswerOutcome | null = null;
    const updated = await this.update(responseSetId, (current) => {
      const inForm = this.items(current).some((item) => item.id === itemId);
      const stored = current.answers[itemId];
      if (current.status === 'completed') {
        outcome = { kind: 'closed', responseSet: current };
        return current;
      }
      if (!inForm || (value !== null && !isScaleValue(value))) {
        outcome = { kind: 'invalid', responseSet: current };
        return current;
      }
      const wanted = value;
      if (stored && submitId !== undefined && stored.submitId === submitId && stored.value === wanted) {
        // The same submit again (a turn run a second time after a state conflict): it was this one.
        outcome = { kind: 'recorded', responseSet: current };
        return current;
      }
      if (stored && shownAtVersion !== undefined && itemId === shownItemId && (stored.version ?? 0) > shownAtVersion) {
        outcome = { kind: 'alreadyAnswered', responseSet: current, storedValue: stored.value };
        return current;
      }
      if (stored && stored.value === wanted) {
        outcome = { kind: 'unchanged', responseSet: current };
        return current;
      }
      if (itemId !== shownItemId) {
        outcome = { kind: 'stale', responseSet: current, storedValue: stored?.value };
        return current;
      }
      const at = this.now().toISOString();
      const version = versionOf(current) + 1;
      const answer: ItemAnswer = {
        itemId,
        value: wanted,
        answeredAt: at,
        version,
        ...(submitId !== undefined ? { submitId } : {}),
        ...(stored?.comment ? { comment: stored.comment } : {}),
      };
      const next: ResponseSet = { ...current, answers: { ...current.answers, [itemId]: answer }, updatedAt: at, version };
      outcome = { kind: 'recorded', responseSet: next };
      return next;
    });
    return outcome ?? { kind: 'invalid', responseSet: updated };
  }

  /**
   * Adds or replaces the comment on an answered item; an empty comment removes it. Comments are
   * optional and capped at `MAX_COMMENT_CHARS`.
   */
  async comment(responseSetId: string, itemId: string, comment: string): Promise<ResponseSet> {
    return this.update(responseSetId, (current) => {
      const stored = current.answers[itemId];
      if (!stored || current.status === 'completed') return current;
      const trimmed = comment.trim().slice(0, MAX_COMMENT_CHARS);
      const { comment: _old, ...rest } = stored;
      const answer: ItemAnswer = trimmed ? { ...rest, comment: trimmed } : rest;
      return { ...current, answers: { ...current.answers, [itemId]: answer }, updatedAt: this.now().toISOString() };
    });
  }

  /**
   * Whether an answer is low for the working relationship (1–2, or 4–5 on a reverse item), where a
   * gentle "what would help?" may follow.
   */
  isLowAnswer(itemId: string, value: ScaleValue | null): boolean {
    const item = this.bank.item(itemId);
    if (!item || value === null) return false;
    return item.reverse ? value >= 4 : value <= 2;
  }

  /** Claims one of the two follow-ups a set may get; false when both were used or already asked here. */
  async claimFollowUp(responseSetId: string, itemId: string): Promise<boolean> {
    let granted = false;
    await this.update(responseSetId, (current) => {
      granted = false; // `update` may run this more than once; only the last run counts.
      const offered = current.followUpItemIds ?? [];
      if (current.status === 'completed' || offered.length >= MAX_FOLLOW_UPS || offered.includes(itemId)) return current;
      granted = true;
      return { ...current, followUpItemIds: [...offered, itemId] };
    });
    return granted;
  }

  async setPresentation(responseSetId: string, locale: Locale, register: Register): Promise<ResponseSet> {
    return this.update(responseSetId, (current) =>
      current.locale === locale && current.register === register
        ? current
        : { ...current, locale, register, updatedAt: this.now().toISOString() },
    );
  }

  /**
   * Marks the set completed once every item has an answer or a skip; otherwise leaves it as it is.
   * `shareComments` records the respondent's choice about their comments at the same moment.
   */
  async complete(responseSetId: string, shareComments = false): Promise<ResponseSet> {
    return this.update(responseSetId, (current) => {
      if (current.status === 'completed') return current;
      if (this.firstOpen(current).item !== null) return current;
      const at = this.now().toISOString();
      return { ...current, status: 'completed', completedAt: at, updatedAt: at, commentsShared: shareComments };
    });
  }

  /** "Start again": clears the answers of a set that is still in progress. */
  async clear(responseSetId: string): Promise<ResponseSet> {
    return this.update(responseSetId, (current) =>
      current.status === 'completed' ? current : { ...current, answers: {}, updatedAt: this.now().toISOString() },
    );
  }

  /** Every change goes through here: a set that changed gets the next `version`. */
  private update(id: string, change: (current: ResponseSet) => ResponseSet): Promise<ResponseSet> {
    return this.repository.update(id, (current) => {
      const next = change(current);
      return next === current ? current : { ...next, version: versionOf(current) + 1 };
    });
  }

  private position(responseSet: ResponseSet, item: QuestionItem | null): Position {
    const items = this.items(responseSet);
    const answered = items.filter((candidate) => candidate.id in responseSet.answers).length;
    const number = item ? items.findIndex((candidate) => candidate.id === item.id) + 1 : items.length;
    return { item, number, total: items.length, answered };
  }
}

/** The set's change counter; 0 for sets stored before it existed. */
export function versionOf(responseSet: ResponseSet): number {
  return responseSet.version ?? 0;
}
