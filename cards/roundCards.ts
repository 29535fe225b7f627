/**
 * @packageDocumentation
 * Cards about rounds: the professional's menu, the form to start a round, the invitation to hand
 * to the client, the list of rounds, and the client's code entry.
 */
import { adaptiveCard, AdaptiveCard, CardElement, SubmitAction, textBlock } from './adaptiveCard';
import { formSubmitData, submitData } from './cardActions';
import { formatDay, formatDayTime } from '../services/dates';
import type { Domain, Locale } from '../services/vocabulary';
import { DOMAINS } from '../services/vocabulary';

/** What tells two rounds apart: label, appointment day, when it was made, and the end of its code. */
export interface RoundIdentity {
  clientLabel: string;
  /** YYYY-MM-DD. */
  appointmentDate: string;
  /** ISO time. */
  createdAt: string;
  /** The last characters of the current invitation code; absent on rounds made before it was kept. */
  codeHint?: string;
}

export interface RoundListEntry extends RoundIdentity {
  roundId: string;
  status: 'open' | 'complete' | 'expired' | 'cancelled';
  clientJoined: boolean;
  clientDone: boolean;
  ownSideDone: boolean;
  summaryAvailable: boolean;
  canResend: boolean;
  /** A stored answer file of this round cannot be read; the other rounds are shown as usual. */
  unreadable?: boolean;
  /** One-time id for this entry's "new code" button, so a second click makes no second code. */
  resendActionId: string;
}

interface RoundStrings {
  menuTitle: string;
  menuText: string;
  newRound: string;
  myRounds: string;
  formTitle: string;
  formText: string;
  clientLabel: string;
  clientLabelHint: string;
  domain: string;
  domainNames: Record<Domain | 'none', string>;
  form: string;
  formFull: (count: number) => string;
  formShort: (count: number) => string;
  appointment: string;
  create: string;
  overview: string;
  invitationTitle: (label: string) => string;
  invitationLines: (code: string, expires: string, deadline: string) => string[];
  describe: (round: { label: string; appointment: string; created: string; codeHint: string | null }) => string;
  created: (when: string, codeHint: string | null) => string;
  invitationLink: string;
  answerOwnSide: string;
  noRounds: string;
  listTitle: string;
  moreRounds: string;
  status: (entry: RoundListEntry) => string;
  showSummary: string;
  resend: string;
  cancel: string;
  remove: string;
  deleteConfirm: (description: string) => string;
  deleteYes: string;
  deleteNo: string;
  cancelConfirm: (description: string) => string;
  cancelYes: string;
  cancelNo: string;
  codeTitle: string;
  codeText: string;
  codeLabel: string;
  codeSubmit: string;
  required: string;
}

const STRINGS: Record<Locale, RoundStrings> = {
  nl: {
    menuTitle: 'Alliantiemonitor',
    menuText: 'Wat wil je doen?',
    newRound: 'Nieuwe monitor',
    myRounds: 'Mijn rondes',
    formTitle: 'Nieuwe monitor',
    formText: 'Je cliënt en jij vullen allebei de vragen in. Daarna krijg je een korte vergelijking voor jullie volgende afspraak.',
    clientLabel: 'Label voor de cliënt (geen echte naam nodig)',
    clientLabelHint: 'bijvoorbeeld K-12',
    domain: 'Werkveld',
    domainNames: {
      none: 'Algemeen',
      probation: 'Reclassering',
      youthProtection: 'Jeugdbescherming',
      debtHelp: 'Schuldhulpverlening',
      workAndIncome: 'Werk en inkomen',
      shelter: 'Maatschappelijke opvang',
    },
    form: 'Vragenlijst',
    formFull: (count) => `Volledig (${count} vragen)`,
    formShort: (count) => `Kort (${count} vragen)`,
    appointment: 'Datum van de volgende afspraak',
    create: 'Maak uitnodiging',
    overview: 'Overzicht',
    invitationTitle: (label) => `Uitnodiging voor ${label}`,
    invitationLines: (code, expires, deadline) => [
      `Geef de cliënt deze link of deze code: **${code}**`,
      'De cliënt typt de code in de chat, of opent de link. Een code werkt maar voor één persoon.',
      `De vergelijking komt op ${deadline}, of zodra jullie allebei klaar zijn.`,
      `De uitnodiging werkt tot ${expires}.`,
      'Deze code zie je maar één keer. Kwijt? Maak dan een nieuwe via Mijn rondes.',
    ],
    describe: ({ label, appointment, created, codeHint }) =>
      `${label}, afspraak op ${appointment}, gemaakt ${created}${codeHint ? `, code …${codeHint}` : ''}`,
    created: (when, codeHint) => `Gemaakt ${when}${codeHint ? ` · code …${codeHint}` : ''}`,
    invitationLink: 'Link voor de cliënt',
    answerOwnSide: 'Vul mijn kant in',
    noRounds: 'Je hebt nog geen rondes. Begin met Nieuwe monitor.',
    listTitle: 'Mijn rondes',
    moreRounds: 'Meer rondes laten zien',
    status: (e) =>
      e.unreadable
        ? 'kan nu niet gelezen worden (de beheerder is gewaarschuwd)'
        : e.status === 'cancelled'
          ? 'geannuleerd'
          : e.status === 'complete'
            ? 'allebei klaar'
            : [
                e.clientJoined ? (e.clientDone ? 'cliënt klaar' : 'cliënt bezig') : 'cliënt nog niet begonnen',
                e.ownSideDone ? 'jij klaar' : 'jij nog niet klaar',
              ].join(' · '),
    showSummary: 'Vergelijking',
    resend: 'Nieuwe code',
    cancel: 'Annuleren',
    remove: 'Verwijderen',
    deleteConfirm: (description) => `Ronde ${description} verwijderen? Alle antwoorden van deze ronde worden gewist.`,
    deleteYes: 'Ja, verwijderen',
    deleteNo: 'Nee',
    cancelConfirm: (description) =>
      `Ronde ${description} annuleren? De uitnodiging werkt dan niet meer, en er komt geen vergelijking. De antwoorden blijven bewaard tot je de ronde verwijdert.`,
    cancelYes: 'Ja, annuleren',
    cancelNo: 'Nee, laat staan',
    codeTitle: 'Heb je een code?',
    codeText: 'Je begeleider gaf je een code. Typ die hier. Bijvoorbeeld: K7QX-M4PD.',
    codeLabel: 'Code',
    codeSubmit: 'Verder',
    required: 'Vul dit in',
  },
  en: {
    menuTitle: 'Alliance Monitor',
    menuText: 'What would you like to do?',
    newRound: 'New monitor',
    myRounds: 'My rounds',
    formTitle: 'New monitor',
    formText: 'Your client and you both answer the questions. Then you get a short comparison for your next meeting.',
    clientLabel: 'Label for the client (no real name needed)',
    clientLabelHint: 'for example K-12',
    domain: 'Field',
    domainNames: {
      none: 'General',
      probation: 'Probation',
      youthProtection: 'Youth protection',
      debtHelp: 'Debt help',
      workAndIncome: 'Work and income',
      shelter: 'Shelter',
    },
    form: 'Questionnaire',
    formFull: (count) => `Full (${count} questions)`,
    formShort: (count) => `Short (${count} questions)`,
    appointment: 'Date of the next meeting',
    create: 'Create invitation',
    overview: 'Overview',
    invitationTitle: (label) => `Invitation for ${label}`,
    invitationLines: (code, expires, deadline) => [
      `Give the client this link or this code: **${code}**`,
      'The client types the code in the chat, or opens the link. A code works for one person only.',
      `The comparison comes on ${deadline}, or as soon as you are both done.`,
      `The invitation works until ${expires}.`,
      'You see this code only once. Lost it? Make a new one in My rounds.',
    ],
    describe: ({ label, appointment, created, codeHint }) =>
      `${label}, meeting on ${appointment}, made ${created}${codeHint ? `, code …${codeHint}` : ''}`,
    created: (when, codeHint) => `Made ${when}${codeHint ? ` · code …${codeHint}` : ''}`,
    invitationLink: 'Link for the client',
    answerOwnSide: 'Answer my side',
    noRounds: 'You have no rounds yet. Start with New monitor.',
    listTitle: 'My rounds',
    moreRounds: 'Show more rounds',
    status: (e) =>
      e.unreadable
        ? 'cannot be read right now (the administrator has been told)'
        : e.status === 'cancelled'
          ? 'cancelled'
          : e.status === 'complete'
            ? 'both done'
            : [
                e.clientJoined ? (e.clientDone ? 'client done' : 'client answering') : 'client not started',
                e.ownSideDone ? 'you done' : 'you not done',
              ].join(' · '),
    showSummary: 'Comparison',
    resend: 'New code',
    cancel: 'Cancel',
    remove: 'Delete',
    deleteConfirm: (description) => `Delete round ${description}? All answers of this round will be erased.`,
    deleteYes: 'Yes, delete',
    deleteNo: 'No',
    cancelConfirm: (description) =>
      `Cancel round ${description}? The invitation then stops working, and there will be no comparison. The answers are kept until you delete the round.`,
    cancelYes: 'Yes, cancel',
    cancelNo: 'No, keep it',
    codeTitle: 'Do you have a code?',
    codeText: 'Your support worker gave you a code. Type it here. For example: K7QX-M4PD.',
    codeLabel: 'Code',
    codeSubmit: 'Go on',
    required: 'Please fill this in',
  },
};

/** One line that names a round so it cannot be mistaken for another of the same client. */
export function describeRound(locale: Locale, round: RoundIdentity): string {
  return STRINGS[locale].describe({
    label: round.clientLabel,
    appointment: formatDay(round.appointmentDate, locale),
    created: formatDayTime(round.createdAt, locale),
    codeHint: round.codeHint ?? null,
  });
}

/**
 * The professional's menu. `overviewUrl` is a short-lived, single-use link to their tab (or the
 * Teams deep link to the static tab); without it there is no "Overview" button.
 */
export function createProfessionalMenuCard(locale: Locale, overviewUrl: string | null = null): AdaptiveCard {
  const s = STRINGS[locale];
  return adaptiveCard([textBlock(s.menuTitle, { size: 'Large', weight: 'Bolder' }), textBlock(s.menuText)], {
    lang: locale,
    speak: `${s.menuTitle}. ${s.menuText}`,
    actions: [
      { type: 'Action.Submit', title: s.newRound, data: submitData({ verb: 'newRound' }), style: 'positive' },
      { type: 'Action.Submit', title: s.myRounds, data: submitData({ verb: 'listRounds' }) },
      ...(overviewUrl ? [{ type: 'Action.OpenUrl' as const, title: s.overview, url: overviewUrl }] : []),
    ],
  });
}

/** Just the "Overview" button, for someone who typed "overzicht". */
export function createOverviewLinkCard(locale: Locale, intro: string, overviewUrl: string): AdaptiveCard {
  const s = STRINGS[locale];
  return adaptiveCard([textBlock(intro)], { lang: locale, actions: [{ type: 'Action.OpenUrl', title: s.overview, url: overviewUrl }] });
}

/** `actionId` is new for every form card shown: submitting the same card twice makes one round. */
export function createRoundFormCard(
  locale: Locale,
  counts: { full: number; short: number },
  today: string,
  actionId: string,
): AdaptiveCard {
  const s = STRINGS[locale];
  return adaptiveCard(
    [
      textBlock(s.formTitle, { size: 'Large', weight: 'Bolder' }),
      textBlock(s.formText),
      { type: 'Input.Text', id: 'clientLabel', label: s.clientLabel, placeholder: s.clientLabelHint, maxLength: 40 },
      {
        type: 'Input.ChoiceSet',
        id: 'domain',
        label: s.domain,
        style: 'compact',
        value: 'none',
        choices: [
          { title: s.domainNames.none, value: 'none' },
          ...DOMAINS.map((domain) => ({ title: s.domainNames[domain], value: domain })),
        ],
      },
      {
        type: 'Input.ChoiceSet',
        id: 'form',
        label: s.form,
        style: 'expanded',
        value: 'full',
        choices: [
          { title: s.formFull(counts.full), value: 'full' },
          { title: s.formShort(counts.short), value: 'short' },
        ],
      },
      { type: 'Input.Date', id: 'appointmentDate', label: s.appointment, min: today, isRequired: true, errorMessage: s.required },
    ],
    {
      lang: locale,
      actions: [{ type: 'Action.Submit', title: s.create, data: formSubmitData('createRound', { actionId }), style: 'positive' }],
    },
  );
}

export function createInvitationCard(
  locale: Locale,
  model: { roundId: string; clientLabel: string; code: string; link: string; expiresAt: string; deadline: string },
): AdaptiveCard {
  const s = STRINGS[locale];
  const body: CardElement[] = [
    textBlock(s.invitationTitle(model.clientLabel), { size: 'Large', weight: 'Bolder' }),
    ...s
      .invitationLines(model.code, formatDayTime(model.expiresAt, locale), formatDay(model.deadline, locale))
      .map((line) => textBlock(line, { spacing: 'Small' })),
    textBlock(`${s.invitationLink}: ${model.link}`, { spacing: 'Medium', isSubtle: true }),
  ];
  return adaptiveCard(body, {
    lang: locale,
    actions: [
      { type: 'Action.OpenUrl', title: s.invitationLink, url: model.link },
      {
        type: 'Action.Submit',
        title: s.answerOwnSide,
        data: submitData({ verb: 'answerOwnSide', roundId: model.roundId }),
        style: 'positive',
      },
    ],
  });
}

/**
 * "Mijn rondes": one page of rounds, newest appointment first. `next` is the cursor of the page
 * after it (`null` on the last), behind a "show more" button.
 */
export function createRoundListCard(locale: Locale, entries: RoundListEntry[], next: string | null = null): AdaptiveCard {
  const s = STRINGS[locale];
  if (entries.length === 0) {
    return adaptiveCard([textBlock(s.listTitle, { size: 'Large', weight: 'Bolder' }), textBlock(s.noRounds)], {
      lang: locale,
      actions: [{ type: 'Action.Submit', title: s.newRound, data: submitData({ verb: 'newRound' }), style: 'positive' }],
    });
  }
  const rows: CardElement[] = entries.flatMap((entry): CardElement[] => {
    const actions = [
      ...(entry.summaryAvailable
        ? [{ type: 'Action.Submit' as const, title: s.showSummary, data: submitData({ verb: 'showSummary', roundId: entry.roundId }) }]
        : []),
      ...(entry.status === 'open' && !entry.ownSideDone && !entry.unreadable
        ? [{ type: 'Action.Submit' as const, title: s.answerOwnSide, data: submitData({ verb: 'answerOwnSide', roundId: entry.roundId }) }]
        : []),
      ...(entry.canResend
        ? [
            {
              type: 'Action.Submit' as const,
              title: s.resend,
              data: submitData({ verb: 'resendInvitation', roundId: entry.roundId, actionId: entry.resendActionId }),
            },
          ]
        : []),
      ...(entry.status === 'open'
        ? [{ type: 'Action.Submit' as const, title: s.cancel, data: submitData({ verb: 'cancelRound', roundId: entry.roundId }) }]
        : []),
      { type: 'Action.Submit' as const, title: s.remove, data: submitData({ verb: 'deleteRound', roundId: entry.roundId }) },
    ];
    return [
      {
        type: 'Container',
        separator: true,
        spacing: 'Medium',
        items: [
          textBlock(`${entry.clientLabel} · ${formatDay(entry.appointmentDate, locale)}`, { weight: 'Bolder' }),
          textBlock(s.created(formatDayTime(entry.createdAt, locale), entry.codeHint ?? null), {
            spacing: 'None',
            size: 'Small',
            isSubtle: true,
          }),
          textBlock(s.status(entry), { spacing: 'None', isSubtle: true }),
        ],
      },
      { type: 'ActionSet', spacing: 'Small', actions },
    ];
  });
  return adaptiveCard([textBlock(s.listTitle, { size: 'Large', weight: 'Bolder' }), ...rows], {
    lang: locale,
    actions: [
      ...(next !== null
        ? [{ type: 'Action.Submit' as const, title: s.moreRounds, data: submitData({ verb: 'listRounds', cursor: next }) }]
        : []),
      { type: 'Action.Submit', title: s.newRound, data: submitData({ verb: 'newRound' }) },
    ],
  });
}

/** A yes/no question about one round; "no" goes back to the list. */
function confirmRoundCard(locale: Locale, question: string, no: string, yes: SubmitAction): AdaptiveCard {
  return adaptiveCard([textBlock(question, { weight: 'Bolder' })], {
    lang: locale,
    actions: [{ type: 'Action.Submit', title: no, data: submitData({ verb: 'listRounds' }) }, yes],
  });
}

export function createDeleteRoundCard(locale: Locale, roundId: string, round: RoundIdentity): AdaptiveCard {
  const s = STRINGS[locale];
  return confirmRoundCard(locale, s.deleteConfirm(describeRound(locale, round)), s.deleteNo, {
    type: 'Action.Submit',
    title: s.deleteYes,
    data: submitData({ verb: 'deleteRoundConfirmed', roundId }),
    style: 'destructive',
  });
}

/** "Cancel" asks first: cancelling cannot be undone, and the invitation stops working at once. */
export function createCancelRoundCard(locale: Locale, roundId: string, round: RoundIdentity): AdaptiveCard {
  const s = STRINGS[locale];
  return confirmRoundCard(locale, s.cancelConfirm(describeRound(locale, round)), s.cancelNo, {
    type: 'Action.Submit',
    title: s.cancelYes,
    data: submitData({ verb: 'cancelRoundConfirmed', roundId }),
    style: 'destructive',
  });
}

/** For a client without a round: type the code from the professional. */
export function createJoinCodeCard(locale: Locale): AdaptiveCard {
  const s = STRINGS[locale];
  return adaptiveCard(
    [
      textBlock(s.codeTitle, { size: 'Large', weight: 'Bolder' }),
      textBlock(s.codeText),
      { type: 'Input.Text', id: 'code', label: s.codeLabel, placeholder: 'K7QX-M4PD', maxLength: 20 },
    ],
    {
      lang: locale,
      speak: `${s.codeTitle} ${s.codeText}`,
      actions: [{ type: 'Action.Submit', title: s.codeSubmit, data: formSubmitData('joinCode'), style: 'positive' }],
    },
  );
}
