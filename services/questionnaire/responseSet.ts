import { Domain, Form, Locale, Perspective, Register, ScaleValue } from '../vocabulary';

/**
 * One person's answers to one questionnaire, the record the product must never lose.
 *
 * @remarks Shaped after FHIR QuestionnaireResponse: `in-progress` while answering (one question at a
 * time, going back allowed), `completed` after the respondent confirmed the overview.
 */
export interface ItemAnswer {
  itemId: string;
  /** `null` means skipped / don't know: never counted as 0. */
  value: ScaleValue | null;
  answeredAt: string;
  comment?: string;
  /** The set's `version` this value was written at; a later one means someone answered since. */
  version?: number;
  /** The channel's id of the submit that stored this value (activity id): opaque, not personal. */
  submitId?: string;
}

export type ResponseStatus = 'in-progress' | 'completed';

export interface ResponseSet {
  id: string;
  /** Pseudonymous id of who answers (channel user id or professional id); never a name. */
  respondentId: string;
  perspective: Perspective;
  questionnaireId: string;
  questionnaireVersion: string;
  form: Form;
  locale: Locale;
  register: Register;
  domain: Domain | null;
  /** Set when the answers belong to a round of client and professional. */
  roundId: string | null;
  answers: Record<string, ItemAnswer>;
  /** Whether the client agreed to share their comments with the professional. */
  commentsShared: boolean;
  /** Items after which the bot offered a "what would help?" follow-up (at most two per set). */
  followUpItemIds?: string[];
  status: ResponseStatus;
  /**
   * Goes up by one with every stored change; answers compare-and-set on it, so two turns that saw
   * the same question cannot both record an answer. Missing on sets stored before it existed (0).
   */
  version?: number;
  startedAt: string;
  updatedAt: string;
  completedAt: string | null;
}
