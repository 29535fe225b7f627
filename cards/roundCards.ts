/**
 * @packageDocumentation
 * Cards about rounds: the professional's menu, the form to start a round, the invitation to hand
 * to the client, the list of rounds, and the client's code entry.
 */
import { adaptiveCard, AdaptiveCard, CardElement, textBlock } from './adaptiveCard';
import { formSubmitData, submitData } from './cardActions';
import type { Domain, Locale } from '../services/vocabulary';
import { DOMAINS } from '../services/vocabulary';

export interface RoundListEntry {
  roundId: string;
  clientLabel: string;
  appointmentDate: string;
  status: 'open' | 'complete' | 'expired' | 'cancelled';
  clientJoined: boolean;
  clientDone: boolean;
  ownSideDone: boolean;
  summaryAvailable: boolean;
  canResend: boolean;
  /** A stored answer file of this round cannot be read; the other rounds are shown as usual. */
  unreadable?: boolean;
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
  invitationTitle: (label: string) => string;
  invitationLines: (code: string, expires: string) => string[];
  invitationLink: string;
  answerOwnSide: string;
  noRounds: string;
  listTitle: string;
  status: (entry: RoundListEntry) => string;
  showSummary: string;
  resend: string;
  cancel: string;
  remove: string;
  deleteConfirm: (label: string) => string;
  deleteYes: string;
  deleteNo: string;
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
    invitationTitle: (label) => `Uitnodiging voor ${label}`,
    invitationLines: (code, expires) => [
      `Geef de cliënt deze link of deze code: **${code}**`,
      'De cliënt typt de code in de chat, of opent de link. Een code werkt maar voor één persoon.',
      `De uitnodiging werkt tot ${expires}.`,
      'Deze code zie je maar één keer. Kwijt? Maak dan een nieuwe via Mijn rondes.',
    ],
    invitationLink: 'Link voor de cliënt',
    answerOwnSide: 'Vul mijn kant in',
    noRounds: 'Je hebt nog geen rondes. Begin met Nieuwe monitor.',
    listTitle: 'Mijn rondes',
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
    deleteConfirm: (label) => `Ronde ${label} verwijderen? Alle antwoorden van deze ronde worden gewist.`,
    deleteYes: 'Ja, verwijderen',
    deleteNo: 'Nee',
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
    invitationTitle: (label) => `Invitation for ${label}`,
    invitationLines: (code, expires) => [
      `Give the client this link or this code: **${code}**`,
      'The client types the code in the chat, or opens the link. A code works for one person only.',
      `The invitation works until ${expires}.`,
      'You see this code only once. Lost it? Make a new one in My rounds.',
    ],
    invitationLink: 'Link for the client',
    answerOwnSide: 'Answer my side',
    noRounds: 'You have no rounds yet. Start with New monitor.',
    listTitle: 'My rounds',
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
    deleteConfirm: (label) => `Delete round ${label}? All answers of this round will be erased.`,
    deleteYes: 'Yes, delete',
    deleteNo: 'No',
    codeTitle: 'Do you have a code?',
    codeText: 'Your support worker gave you a code. Type it here. For example: K7QX-M4PD.',
    codeLabel: 'Code',
    codeSubmit: 'Go on',
    required: 'Please fill this in',
  },
};

export function createProfessionalMenuCard(locale: Locale): AdaptiveCard {
  const s = STRINGS[locale];
  return adaptiveCard([textBlock(s.menuTitle, { size: 'Large', weight: 'Bolder' }), textBlock(s.menuText)], {
    lang: locale,
    speak: `${s.menuTitle}. ${s.menuText}`,
    actions: [
      { type: 'Action.Submit', title: s.newRound, data: submitData({ verb: 'newRound' }), style: 'positive' },
      { type: 'Action.Submit', title: s.myRounds, data: submitData({ verb: 'listRounds' }) },
    ],
  });
}

export function createRoundFormCard(locale: Locale, counts: { full: number; short: number }, today: string): AdaptiveCard {
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
      actions: [{ type: 'Action.Submit', title: s.create, data: formSubmitData('createRound'), style: 'positive' }],
    },
  );
}

export function createInvitationCard(
  locale: Locale,
  model: { roundId: string; clientLabel: string; code: string; link: string; expires: string },
): AdaptiveCard {
  const s = STRINGS[locale];
  const body: CardElement[] = [
    textBlock(s.invitationTitle(model.clientLabel), { size: 'Large', weight: 'Bolder' }),
    ...s.invitationLines(model.code, model.expires).map((line) => textBlock(line, { spacing: 'Small' })),
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

export function createRoundListCard(locale: Locale, entries: RoundListEntry[]): AdaptiveCard {
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
        ? [{ type: 'Action.Submit' as const, title: s.resend, data: submitData({ verb: 'resendInvitation', roundId: entry.roundId }) }]
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
          textBlock(`${entry.clientLabel} · ${entry.appointmentDate}`, { weight: 'Bolder' }),
          textBlock(s.status(entry), { spacing: 'None', isSubtle: true }),
        ],
      },
      { type: 'ActionSet', spacing: 'Small', actions },
    ];
  });
  return adaptiveCard([textBlock(s.listTitle, { size: 'Large', weight: 'Bolder' }), ...rows], {
    lang: locale,
    actions: [{ type: 'Action.Submit', title: s.newRound, data: submitData({ verb: 'newRound' }) }],
  });
}

export function createDeleteRoundCard(locale: Locale, roundId: string, clientLabel: string): AdaptiveCard {
  const s = STRINGS[locale];
  return adaptiveCard([textBlock(s.deleteConfirm(clientLabel), { weight: 'Bolder' })], {
    lang: locale,
    actions: [
      { type: 'Action.Submit', title: s.deleteNo, data: submitData({ verb: 'listRounds' }) },
      { type: 'Action.Submit', title: s.deleteYes, data: submitData({ verb: 'deleteRoundConfirmed', roundId }), style: 'destructive' },
    ],
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
