import {
  createCancelRoundCard,
  createDeleteRoundCard,
  createInvitationCard,
  createOverviewLinkCard,
  createProfessionalMenuCard,
  createRoundFormCard,
  createRoundListCard,
  describeRound,
  RoundListEntry,
} from '../cards/roundCards';
import type { AdaptiveCard } from '../cards/adaptiveCard';
import { formatDay, formatDayTime } from '../services/dates';
import { cardTexts } from './helpers/cardTexts';
import { validateAdaptiveCard } from './helpers/cardValidation';

const ENTRY: RoundListEntry = {
  roundId: 'round-1',
  clientLabel: 'K-41',
  appointmentDate: '2026-12-07',
  createdAt: '2026-12-03T13:05:00.000Z',
  codeHint: 'PD',
  status: 'open',
  clientJoined: false,
  clientDone: false,
  ownSideDone: false,
  summaryAvailable: false,
  canResend: true,
  resendActionId: 'resend-1',
};

const texts = cardTexts;

const INVITATION = {
  roundId: 'round-1',
  clientLabel: 'K-41',
  code: 'K7QX-M4PD',
  link: 'https://bot.example.org/?join=abc',
  expiresAt: '2026-12-06T00:00:00.000Z',
  deadline: '2026-12-06T00:00:00.000Z',
};

describe('dates in one format', () => {
  const cases: [string, 'nl' | 'en', string][] = [
    ['2026-12-07', 'nl', '7 december 2026'],
    ['2026-12-07', 'en', '7 December 2026'],
    // The deadline instant 00:00 UTC is 01:00 in Amsterdam: still the 6th.
    ['2026-12-06T00:00:00.000Z', 'nl', '6 december 2026'],
    ['2026-07-01T22:30:00.000Z', 'en', '2 July 2026'],
  ];
  it.each(cases)('%s in %s reads %s', (value, locale, expected) => expect(formatDay(value, locale)).toBe(expected));
  it('adds a 24-hour time in Dutch time', () => {
    expect(formatDayTime('2026-12-03T13:05:00.000Z', 'nl')).toBe('3 december 2026, 14:05');
    expect(formatDayTime('2026-07-03T13:05:00.000Z', 'en')).toBe('3 July 2026, 15:05');
  });
});

describe('round cards', () => {
  const cards: [string, AdaptiveCard][] = [
    ['menu', createProfessionalMenuCard('nl', 'https://bot.example.org/tab?link=x')],
    ['form', createRoundFormCard('en', { full: 19, short: 8 }, '2026-12-03', 'form-1')],
    ['invitation', createInvitationCard('nl', INVITATION)],
    ['list', createRoundListCard('nl', [ENTRY, { ...ENTRY, roundId: 'round-2', createdAt: '2026-12-03T13:06:00.000Z', codeHint: 'X2' }])],
    ['cancel', createCancelRoundCard('en', 'round-1', ENTRY)],
    ['delete', createDeleteRoundCard('nl', 'round-1', ENTRY)],
    ['overview', createOverviewLinkCard('nl', 'Open je overzicht.', 'https://bot.example.org/tab?link=x')],
  ];
  it.each(cards)('%s is a valid 1.5 card', (_name, card) => expect(validateAdaptiveCard(card)).toEqual([]));

  it('carries the one-time id on the form and on every "new code" button', () => {
    const form = createRoundFormCard('nl', { full: 19, short: 8 }, '2026-12-03', 'form-1');
    expect(form.actions?.[0]).toMatchObject({ data: { verb: 'createRound', actionId: 'form-1' } });
    const list = JSON.stringify(createRoundListCard('nl', [ENTRY]));
    expect(list).toContain('"verb":"resendInvitation","roundId":"round-1","actionId":"resend-1"');
  });

  it('tells two rounds of one client apart by creation time and code', () => {
    const list = texts(
      createRoundListCard('nl', [ENTRY, { ...ENTRY, roundId: 'round-2', createdAt: '2026-12-03T13:06:00.000Z', codeHint: 'X2' }]).body,
    );
    expect(list).toContain('K-41 · 7 december 2026');
    expect(list).toContain('Gemaakt 3 december 2026, 14:05 · code …PD');
    expect(list).toContain('Gemaakt 3 december 2026, 14:06 · code …X2');
    expect(describeRound('en', ENTRY)).toBe('K-41, meeting on 7 December 2026, made 3 December 2026, 14:05, code …PD');
  });

  it('asks before cancelling, and says which round', () => {
    const card = createCancelRoundCard('nl', 'round-1', ENTRY);
    expect(texts(card.body)[0]).toMatch(/^Ronde K-41, afspraak op 7 december 2026, gemaakt 3 december 2026, 14:05, code …PD annuleren\?/);
    expect(card.actions?.map((a) => (a.type === 'Action.Submit' ? a.data : null))).toEqual([
      { verb: 'listRounds' },
      { verb: 'cancelRoundConfirmed', roundId: 'round-1' },
    ]);
  });

  it('says on the invitation when the comparison comes', () => {
    const card = createInvitationCard('nl', INVITATION);
    const body = texts(card.body);
    expect(body).toContain('De vergelijking komt op 6 december 2026, of zodra jullie allebei klaar zijn.');
    expect(body).toContain('De uitnodiging werkt tot 6 december 2026, 01:00.');
  });
});
