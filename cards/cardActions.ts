import { isLocale, isRegister, Locale, Register } from '../services/vocabulary';

/**
 * Every value a card button can submit. Each carries a `verb`; the handler reads
 * `activity.value` through `parseCardAction`, never by casting.
 *
 * @remarks A click arrives as a message with `value` and no text. Channels such as Teams do not
 * disable a card after a click, and any client can send any JSON, so values are validated here and
 * anything unknown becomes `null` (the bot then explains kindly and shows the current question).
 */
export type CardAction =
  | { verb: 'chooseRole'; role: 'client' | 'professional' }
  | { verb: 'help' }
  | { verb: 'settings'; locale?: Locale; register?: Register }
  | { verb: 'start' }
  | { verb: 'answer'; responseSetId: string; itemId: string; value: number | null }
  | { verb: 'back'; responseSetId: string; itemId: string | null }
  | { verb: 'pause' }
  | { verb: 'resume' }
  | { verb: 'restart' }
  | { verb: 'restartConfirmed'; responseSetId: string }
  | { verb: 'edit'; responseSetId: string; itemId: string }
  | { verb: 'confirm'; responseSetId: string; shareComments?: boolean }
  | { verb: 'commentItem'; responseSetId: string; itemId: string }
  | { verb: 'joinCode'; code: string }
  | { verb: 'proMenu' }
  | { verb: 'newRound' }
  | { verb: 'createRound'; clientLabel: string; domain: string; form: string; appointmentDate: string; actionId?: string }
  /** `cursor`: where "mijn rondes" goes on (the `next` of the page shown); absent for the first page. */
  | { verb: 'listRounds'; cursor?: string }
  | { verb: 'answerOwnSide'; roundId: string }
  | { verb: 'showSummary'; roundId: string }
  | { verb: 'resendInvitation'; roundId: string; actionId?: string }
  | { verb: 'cancelRound'; roundId: string }
  | { verb: 'cancelRoundConfirmed'; roundId: string }
  | { verb: 'deleteRound'; roundId: string }
  | { verb: 'deleteRoundConfirmed'; roundId: string }
  | { verb: 'comment'; responseSetId: string; itemId: string; comment: string }
  | { verb: 'skipComment'; responseSetId: string; itemId: string }
  | { verb: 'replyMeant'; responseSetId: string; itemId: string; meant: 'answer' | 'comment' };

export type CardVerb = CardAction['verb'];

const ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/** A page cursor: an appointment date, a creation time and a round id, joined by `|`. */
const PAGE_CURSOR = /^[A-Za-z0-9_.:|-]{1,300}$/;

function isId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/** The typed action behind a card click, or `null` for anything malformed or unknown. */
export function parseCardAction(value: unknown): CardAction | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  switch (v.verb) {
    case 'chooseRole':
      return v.role === 'client' || v.role === 'professional' ? { verb: 'chooseRole', role: v.role } : null;
    case 'help':
    case 'proMenu':
    case 'newRound':
    case 'start':
    case 'pause':
    case 'resume':
    case 'restart':
      return { verb: v.verb };
    case 'listRounds':
      // A cursor we did not make (or one mangled on the way) is dropped: the list starts at the top.
      return typeof v.cursor === 'string' && PAGE_CURSOR.test(v.cursor) ? { verb: 'listRounds', cursor: v.cursor } : { verb: 'listRounds' };
    case 'settings': {
      const locale = v.locale === undefined ? undefined : isLocale(v.locale) ? v.locale : null;
      const register = v.register === undefined ? undefined : isRegister(v.register) ? v.register : null;
      if (locale === null || register === null) return null;
      return { verb: 'settings', ...(locale ? { locale } : {}), ...(register ? { register } : {}) };
    }
    case 'answer': {
      if (!isId(v.responseSetId) || !isId(v.itemId)) return null;
      // Values arrive as numbers from our cards, but as strings from some channels and from hand-made JSON.
      const raw = typeof v.value === 'string' && /^\d{1,3}$/.test(v.value) ? Number(v.value) : v.value;
      if (raw !== null && (typeof raw !== 'number' || !Number.isFinite(raw))) return null;
      return { verb: 'answer', responseSetId: v.responseSetId, itemId: v.itemId, value: raw };
    }
    case 'back':
      if (!isId(v.responseSetId) || (v.itemId !== null && !isId(v.itemId))) return null;
      return { verb: 'back', responseSetId: v.responseSetId, itemId: v.itemId };
    case 'restartConfirmed':
      return isId(v.responseSetId) ? { verb: v.verb, responseSetId: v.responseSetId } : null;
    case 'confirm':
      if (!isId(v.responseSetId)) return null;
      return {
        verb: 'confirm',
        responseSetId: v.responseSetId,
        ...(typeof v.shareComments === 'boolean' ? { shareComments: v.shareComments } : {}),
      };
    case 'commentItem':
      return isId(v.responseSetId) && isId(v.itemId) ? { verb: 'commentItem', responseSetId: v.responseSetId, itemId: v.itemId } : null;
    case 'skipComment':
      return isId(v.responseSetId) && isId(v.itemId) ? { verb: 'skipComment', responseSetId: v.responseSetId, itemId: v.itemId } : null;
    case 'replyMeant':
      if (!isId(v.responseSetId) || !isId(v.itemId) || (v.meant !== 'answer' && v.meant !== 'comment')) return null;
      return { verb: 'replyMeant', responseSetId: v.responseSetId, itemId: v.itemId, meant: v.meant };
    case 'edit':
      return isId(v.responseSetId) && isId(v.itemId) ? { verb: 'edit', responseSetId: v.responseSetId, itemId: v.itemId } : null;
    case 'joinCode':
      // The code comes from the card's text input; an empty or huge one is still a (failed) attempt.
      return { verb: 'joinCode', code: typeof v.code === 'string' ? v.code.slice(0, 40) : '' };
    case 'createRound':
      return {
        verb: 'createRound',
        clientLabel: typeof v.clientLabel === 'string' ? v.clientLabel.slice(0, 200) : '',
        domain: typeof v.domain === 'string' ? v.domain.slice(0, 40) : '',
        form: typeof v.form === 'string' ? v.form.slice(0, 20) : '',
        appointmentDate: typeof v.appointmentDate === 'string' ? v.appointmentDate.slice(0, 20) : '',
        // Cards from before one-time ids existed have none; they still create (once per click).
        ...(isId(v.actionId) ? { actionId: v.actionId } : {}),
      };
    case 'resendInvitation':
      return isId(v.roundId)
        ? { verb: 'resendInvitation', roundId: v.roundId, ...(isId(v.actionId) ? { actionId: v.actionId } : {}) }
        : null;
    case 'answerOwnSide':
    case 'showSummary':
    case 'cancelRound':
    case 'cancelRoundConfirmed':
    case 'deleteRound':
    case 'deleteRoundConfirmed':
      return isId(v.roundId) ? { verb: v.verb, roundId: v.roundId } : null;
    case 'comment':
      if (!isId(v.responseSetId) || !isId(v.itemId)) return null;
      return {
        verb: 'comment',
        responseSetId: v.responseSetId,
        itemId: v.itemId,
        comment: typeof v.comment === 'string' ? v.comment.slice(0, 5000) : '',
      };
    default:
      return null;
  }
}

/** The submit payload of a button: the action itself, typed, so every card builds it the same way. */
export function submitData(action: CardAction): CardAction {
  return action;
}

/**
 * The submit payload of a form card: only the verb, because the card's inputs (`code`,
 * `clientLabel`, …) are merged into it by the host on click.
 */
export function formSubmitData(verb: 'joinCode'): { verb: CardVerb };
export function formSubmitData(verb: 'createRound', fields: { actionId: string }): { verb: CardVerb; actionId: string };
export function formSubmitData(
  verb: 'comment',
  fields: { responseSetId: string; itemId: string },
): { verb: CardVerb; responseSetId: string; itemId: string };
/** The overview's question picker: the picked `itemId` comes from its choice set. */
export function formSubmitData(verb: 'edit' | 'commentItem', fields: { responseSetId: string }): { verb: CardVerb; responseSetId: string };
export function formSubmitData(
  verb: 'joinCode' | 'createRound' | 'comment' | 'edit' | 'commentItem',
  fields: object = {},
): { verb: CardVerb } {
  return { verb, ...fields };
}
