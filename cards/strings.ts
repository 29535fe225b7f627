import type { Locale } from '../services/vocabulary';

/**
 * Everything the bot says in its own words (not the questionnaire items), in Dutch and English.
 *
 * @remarks Client-facing lines follow B1: short sentences, everyday words, "je"/"you". Kept in one
 * typed dictionary so a missing translation is a compile error, not a blank button.
 */
export interface Strings {
  welcomeTitle: string;
  welcomeText: string;
  roleQuestion: string;
  roleClient: string;
  roleProfessional: string;
  help: string;
  helpTitle: string;
  helpLines: string[];
  settingsTitle: string;
  settingsText: string;
  languageDutch: string;
  languageEnglish: string;
  simpleWordsOn: string;
  simpleWordsOff: string;
  settingsDone: string;
  settingsSaved: (language: string, simple: boolean) => string;
  introTitle: string;
  /** The client's explanation before the first question: why, how long, who sees what, no right or wrong. */
  introLines: (count: number, minutes: number, roleWord: string) => string[];
  introProfessionalLines: (count: number, minutes: number) => string[];
  start: string;
  questionOf: (number: number, total: number) => string;
  back: string;
  skip: string;
  pause: string;
  youAnswered: (label: string) => string;
  youSkipped: string;
  alreadySaved: string;
  staleCard: (storedLabel: string | null) => string;
  closedCard: string;
  unknownValue: string;
  notUnderstood: string;
  noEarlierQuestion: string;
  paused: string;
  resumeTitle: string;
  resumeText: (answered: number, total: number) => string;
  resume: string;
  restart: string;
  restartConfirm: string;
  restartYes: string;
  restartNo: string;
  restarted: string;
  overviewTitle: string;
  overviewText: string;
  overviewTextNoComments: string;
  /** "Vraag 3": short, for the overview list and the question picker. */
  questionShort: (number: number) => string;
  withComment: string;
  changeSomething: string;
  whichQuestion: string;
  changeTheAnswer: string;
  writeComment: string;
  skippedLabel: string;
  confirm: string;
  thanksTitle: string;
  thanksText: string;
  alreadyCompleted: string;
  tooLong: (max: number) => string;
  errorKind: string;
  professionalSoon: string;
  chosenRole: (role: string) => string;
  notYours: string;
  languageName: string;
  /** Minutes a form of `count` questions takes, said in the explanations. */
  minutesFor: (count: number) => number;
  proSignedIn: (name: string) => string;
  proLinkInvalid: string;
  proNeedsLink: string;
  proRevoked: string;
  tenantNotAllowed: string;
  joined: string;
  /** Why a code or link did not work, naming the professional with the round's role word. */
  joinRejected: Record<'unknown' | 'expired' | 'used' | 'revoked' | 'cancelled' | 'rateLimited', (roleWord: string) => string>;
  /** Too many wrong codes: says how long the wait really is. */
  joinRateLimited: (minutes: number) => string;
  /** A stored record this person needs does not parse; the log names the file for the administrator. */
  recordUnreadable: string;
  /** The professional's access link was replaced: sessions made with the old one end. */
  proLinkReplaced: string;
  clientThanksWithResults: string;
  proThanksWaiting: string;
  summaryNotYet: (deadline: string) => string;
  summaryIntro: (label: string, appointment: string, reason: 'bothDone' | 'deadline') => string;
  professionalReminder: (label: string, appointment: string, deadline: string) => string;
  roundAlreadyCreated: (description: string) => string;
  invitationAlreadyRenewed: (description: string) => string;
  roundAlreadyClosed: (label: string) => string;
  overviewLinkIntro: string;
  roundNotFound: string;
  roundCancelled: (label: string) => string;
  roundDeleted: (label: string) => string;
  roundInputProblem: (field: string) => string;
  cannotResend: string;
  reminder: (date: string) => string;
  followUpQuestion: string;
  followUpHint: string;
  commentQuestion: string;
  commentLabel: string;
  commentSave: string;
  commentSkip: string;
  commentSaved: string;
  sendWithComments: (roleWord: string) => string;
  sendWithoutComments: string;
  sharingQuestion: (roleWord: string) => string;
  didYouMean: string;
  notOneOfThese: string;
  /** The one-tap button under "Your answer: …" that reopens that question. */
  changeAnswer: string;
  answerOrComment: string;
  itIsMyAnswer: string;
  itIsAComment: string;
  pickAnswerWithButton: string;
  commentHeld: string;
  /** A turn refused after it kept colliding with other turns of the same person. */
  turnConflict: string;
}

/** About 20 seconds per question, at least one minute. */
function minutesFor(count: number): number {
  return Math.max(1, Math.round(count / 3));
}

const nl: Strings = {
  welcomeTitle: 'Welkom bij de Alliantiemonitor',
  welcomeText: 'Met een paar vragen kijk je hoe de samenwerking gaat. Daarna praat je erover bij de volgende afspraak.',
  roleQuestion: 'Wie ben jij?',
  roleClient: 'Ik krijg begeleiding',
  roleProfessional: 'Ik ben de begeleider',
  help: 'Help',
  helpTitle: 'Zo werkt het',
  helpLines: [
    'Je krijgt steeds één vraag. Kies het antwoord dat het beste past.',
    'Er zijn geen goede of foute antwoorden.',
    'Typ **terug** om je vorige antwoord te veranderen.',
    'Typ **weet ik niet** om een vraag over te slaan.',
    'Kies **Later verder** of typ **stop** om te pauzeren. Je antwoorden blijven bewaard.',
    'Kies **Verder** of typ **verder** om door te gaan.',
    'Typ **opnieuw** om opnieuw te beginnen.',
    'Typ **taal** of **makkelijke woorden** om dat te veranderen.',
  ],
  settingsTitle: 'Taal en woorden',
  settingsText: 'Kies je taal. Wil je makkelijke woorden?',
  languageDutch: 'Nederlands',
  languageEnglish: 'English',
  simpleWordsOn: 'Makkelijke woorden',
  simpleWordsOff: 'Gewone woorden',
  settingsDone: 'Klaar',
  settingsSaved: (language, simple) => `Goed. Taal: ${language}. ${simple ? 'Met makkelijke woorden.' : 'Met gewone woorden.'}`,
  introTitle: 'Voor je begint',
  introLines: (count, minutes, roleWord) => [
    `Je krijgt ${count} korte vragen over jou en je ${roleWord}.`,
    'Zo zien jullie hoe de samenwerking gaat. Daarover praten jullie bij de volgende afspraak.',
    `Dat duurt ongeveer ${minutes} minuten.`,
    'Er zijn geen goede of foute antwoorden.',
    `Je ${roleWord} ziet jouw antwoorden als jullie allebei klaar zijn.`,
    `Jij ziet de antwoorden van je ${roleWord} niet.`,
    'Opmerkingen deel je alleen als je dat zelf kiest.',
    'Je antwoorden zijn niet voor de rechter of voor een rapport.',
    'Je kunt stoppen wanneer je wilt. Je antwoorden blijven bewaard.',
  ],
  introProfessionalLines: (count, minutes) => [
    `Je beantwoordt ${count} vragen over de samenwerking met deze cliënt, vanuit jouw kant.`,
    `Dat kost ongeveer ${minutes} minuten.`,
    'De cliënt ziet jouw antwoorden niet. Jij ziet de vergelijking als jullie allebei klaar zijn, of bij de deadline.',
    'Een verschil is een onderwerp voor het gesprek, geen oordeel.',
  ],
  start: 'Beginnen',
  questionOf: (n, total) => `Vraag ${n} van ${total}`,
  back: 'Terug',
  skip: 'Weet ik niet',
  pause: 'Later verder',
  youAnswered: (label) => `Jouw antwoord: ${label}`,
  youSkipped: 'Jouw antwoord: Weet ik niet',
  alreadySaved: 'Dat antwoord was al bewaard.',
  staleCard: (stored) =>
    stored
      ? `Die vraag had je al beantwoord: ${stored}. Dat blijft zo. Wil je het veranderen? Gebruik dan Terug of het overzicht aan het eind.`
      : 'Die kaart hoort bij een andere vraag. Er is niets veranderd. Hier is de vraag waar je nu bent.',
  closedCard: 'Deze vragenlijst is al verstuurd. Er is niets veranderd.',
  unknownValue: 'Dat antwoord ken ik niet. Er is niets veranderd. Kies een van de knoppen.',
  notUnderstood: 'Dat begreep ik niet goed. Kies een knop, of typ **help**.',
  noEarlierQuestion: 'Dit is de eerste vraag. Er is geen vraag ervoor.',
  paused: 'Je antwoorden zijn bewaard. Kom terug wanneer je wilt. Kies dan **Verder** of typ **verder**.',
  resumeTitle: 'Welkom terug',
  resumeText: (answered, total) => `Je hebt ${answered} van de ${total} vragen beantwoord. Wil je verder gaan?`,
  resume: 'Verder',
  restart: 'Opnieuw beginnen',
  restartConfirm: 'Wil je opnieuw beginnen? Dan worden je antwoorden gewist.',
  restartYes: 'Ja, opnieuw',
  restartNo: 'Nee, ga verder',
  restarted: 'Je begint opnieuw.',
  overviewTitle: 'Je antwoorden',
  overviewText: 'Kijk je antwoorden na. Klopt alles? Kies dan hieronder hoe je ze verstuurt.',
  overviewTextNoComments: 'Kijk je antwoorden na. Klopt alles? Kies dan Versturen.',
  questionShort: (n) => `Vraag ${n}`,
  withComment: 'met opmerking',
  changeSomething: 'Iets veranderen',
  whichQuestion: 'Welke vraag?',
  changeTheAnswer: 'Antwoord veranderen',
  writeComment: 'Opmerking schrijven',
  skippedLabel: 'weet ik niet',
  confirm: 'Versturen',
  thanksTitle: 'Dank je wel!',
  thanksText: 'Je antwoorden zijn verstuurd. Jullie praten er bij de volgende afspraak samen over.',
  alreadyCompleted: 'Je hebt deze vragen al ingevuld en verstuurd. Dank je wel.',
  tooLong: (max) => `Dat bericht is te lang voor mij. Houd het korter dan ${max} tekens. Er is niets veranderd.`,
  errorKind: 'Sorry, er ging iets mis bij mij. Je antwoorden zijn veilig bewaard. Probeer het zo nog eens, of typ **verder**.',
  professionalSoon: 'Je bent aangemeld als begeleider.',
  chosenRole: (role) => `Je koos: ${role}`,
  notYours: 'Dit hoort niet bij jouw gesprek. Er is niets veranderd.',
  languageName: 'Nederlands',
  minutesFor,
  proSignedIn: (name) => `Welkom, ${name}. Je bent aangemeld als begeleider.`,
  proLinkInvalid: 'Deze link werkt niet (meer). Vraag je beheerder om een nieuwe link.',
  proNeedsLink: 'Ben je begeleider? Open dan je persoonlijke link, of gebruik de app in Teams.',
  proRevoked: 'Je toegang als begeleider is ingetrokken. Vraag je beheerder om een nieuwe link.',
  tenantNotAllowed: 'Je organisatie is nog niet aangesloten op deze bot. Neem contact op met je beheerder.',
  joined: 'Gelukt! Je doet mee.',
  joinRejected: {
    unknown: () => 'Die code ken ik niet. Kijk of je hem goed hebt overgetypt.',
    expired: (roleWord) => `Deze uitnodiging is verlopen. Vraag je ${roleWord} om een nieuwe code.`,
    used: (roleWord) => `Deze code is al gebruikt. Vraag je ${roleWord} om een nieuwe code.`,
    revoked: (roleWord) => `Deze uitnodiging werkt niet meer. Vraag je ${roleWord} om een nieuwe code.`,
    cancelled: (roleWord) => `Deze ronde is gestopt door je ${roleWord}.`,
    rateLimited: () => 'Je hebt het te vaak geprobeerd. Wacht even en probeer het dan opnieuw.',
  },
  joinRateLimited: (minutes) =>
    `Je hebt het te vaak geprobeerd. Wacht ${minutes === 1 ? '1 minuut' : `${minutes} minuten`}. Probeer het dan opnieuw.`,
  recordUnreadable: 'We kunnen je antwoorden nu niet lezen. De beheerder is gewaarschuwd. Er is niets gewist.',
  proLinkReplaced: 'Je persoonlijke link is vervangen. Open de nieuwe link om verder te gaan.',
  clientThanksWithResults: 'Hieronder zie je wat jij hebt geantwoord, in het kort.',
  proThanksWaiting: 'Dank je. Zodra de cliënt ook klaar is, krijg je hier de vergelijking.',
  summaryNotYet: (deadline) => `De vergelijking komt op ${deadline}, of zodra jullie allebei klaar zijn.`,
  // The card below says how complete both sides are; this line must not claim it.
  summaryIntro: (label, appointment, reason) =>
    reason === 'bothDone'
      ? `Jullie zijn allebei klaar met de monitor voor ${label} (afspraak op ${appointment}). Hier is de vergelijking.`
      : `De deadline voor ${label} (afspraak op ${appointment}) is voorbij. Hier is de vergelijking met wat er is.`,
  professionalReminder: (label, appointment, deadline) =>
    `Je eigen kant van de monitor voor ${label} is nog niet klaar. De vergelijking komt op ${deadline} (afspraak op ${appointment}). Typ **mijn rondes** en kies Vul mijn kant in.`,
  roundAlreadyCreated: (description) =>
    `Deze uitnodiging is al gemaakt: ${description}. Er is geen tweede ronde bij gekomen. De code zie je maar één keer. Kwijt? Kies Nieuwe code in Mijn rondes.`,
  invitationAlreadyRenewed: (description) =>
    `Met deze knop is al een nieuwe code gemaakt (${description}). Die staat hierboven in de chat. Er is niets veranderd.`,
  roundAlreadyClosed: (label) => `Ronde ${label} was al gestopt. Er is niets veranderd.`,
  overviewLinkIntro: 'Open je overzicht met de knop hieronder. De link werkt één keer, binnen 15 minuten.',
  roundNotFound: 'Die ronde kan ik niet vinden.',
  roundCancelled: (label) => `Ronde ${label} is geannuleerd. De uitnodiging werkt niet meer.`,
  roundDeleted: (label) => `Ronde ${label} en alle antwoorden ervan zijn verwijderd.`,
  roundInputProblem: (field) =>
    ({
      clientLabel: 'Vul een label voor de cliënt in (hoogstens 40 tekens, geen echte naam nodig).',
      appointmentDate: 'Kies een datum voor de afspraak: vandaag of later, binnen een jaar.',
      domain: 'Kies een werkveld uit de lijst.',
      form: 'Kies de volledige of de korte vragenlijst.',
    })[field] ?? 'Er klopt iets niet in het formulier.',
  cannotResend: 'Een nieuwe code kan alleen zolang de cliënt nog niet is begonnen en de ronde loopt.',
  reminder: (date) => `Hoi! Je hebt de vragen nog niet af. Je afspraak is op ${date}. Typ **verder** om door te gaan.`,
  followUpQuestion: 'Wat zou helpen?',
  followUpHint: 'Je mag hier iets over typen. Het hoeft niet.',
  commentQuestion: 'Wil je iets uitleggen?',
  commentLabel: 'Jouw opmerking (hoeft niet)',
  commentSave: 'Bewaar opmerking',
  commentSkip: 'Nee, ga verder',
  commentSaved: 'Dank je. Je opmerking is bewaard.',
  sendWithComments: (roleWord) => `Mijn ${roleWord} mag mijn opmerkingen lezen`,
  sendWithoutComments: 'Alleen mijn antwoorden sturen',
  sharingQuestion: (roleWord) => `Je schreef opmerkingen. Mag je ${roleWord} die lezen? Jij kiest.`,
  didYouMean: 'Ik weet niet zeker wat je bedoelt. Bedoel je een van deze?',
  notOneOfThese: 'Nee, iets anders',
  changeAnswer: 'Anders',
  answerOrComment: 'Is dit je antwoord of een opmerking?',
  itIsMyAnswer: 'Mijn antwoord',
  itIsAComment: 'Een opmerking',
  pickAnswerWithButton: 'Er is niets bewaard. Kies je antwoord met een knop.',
  commentHeld: 'Dank je. Je opmerking komt bij deze vraag. Kies nu nog je antwoord.',
  turnConflict: 'Dat kwam tegelijk met een ander bericht binnen. Er is niets kwijt. Probeer het nog eens, of typ **verder**.',
};

const en: Strings = {
  welcomeTitle: 'Welcome to the Alliance Monitor',
  welcomeText: 'A few questions help you look at how the work together is going. Then you talk about it at your next meeting.',
  roleQuestion: 'Who are you?',
  roleClient: 'I get support',
  roleProfessional: 'I am the support worker',
  help: 'Help',
  helpTitle: 'How it works',
  helpLines: [
    'You get one question at a time. Pick the answer that fits best.',
    'There are no right or wrong answers.',
    'Type **back** to change your last answer.',
    "Type **don't know** to skip a question.",
    'Pick **Go on later** or type **stop** to pause. Your answers stay saved.',
    'Pick **Go on** or type **go on** to continue.',
    'Type **start over** to begin again.',
    'Type **language** or **simple words** to change those.',
  ],
  settingsTitle: 'Language and words',
  settingsText: 'Choose your language. Do you want simple words?',
  languageDutch: 'Nederlands',
  languageEnglish: 'English',
  simpleWordsOn: 'Simple words',
  simpleWordsOff: 'Normal words',
  settingsDone: 'Done',
  settingsSaved: (language, simple) => `Good. Language: ${language}. ${simple ? 'With simple words.' : 'With normal words.'}`,
  introTitle: 'Before you start',
  introLines: (count, minutes, roleWord) => [
    `You get ${count} short questions about you and your ${roleWord}.`,
    'They show how the work together is going. You talk about it at your next meeting.',
    `It takes about ${minutes} minutes.`,
    'There are no right or wrong answers.',
    `Your ${roleWord} sees your answers when you are both done.`,
    `You do not see the answers of your ${roleWord}.`,
    'You share comments only if you choose to.',
    'Your answers are not for a court or a report.',
    'You can stop whenever you want. Your answers stay saved.',
  ],
  introProfessionalLines: (count, minutes) => [
    `You answer ${count} questions about your work with this client, from your side.`,
    `It takes about ${minutes} minutes.`,
    'The client does not see your answers. You see the comparison when you are both done, or at the deadline.',
    'A difference is a topic for the conversation, not a verdict.',
  ],
  start: 'Start',
  questionOf: (n, total) => `Question ${n} of ${total}`,
  back: 'Back',
  skip: "Don't know",
  pause: 'Go on later',
  youAnswered: (label) => `Your answer: ${label}`,
  youSkipped: "Your answer: Don't know",
  alreadySaved: 'That answer was already saved.',
  staleCard: (stored) =>
    stored
      ? `You already answered that question: ${stored}. That stays. Want to change it? Use Back or the overview at the end.`
      : 'That card belongs to another question. Nothing changed. Here is the question you are at.',
  closedCard: 'These answers were already sent. Nothing changed.',
  unknownValue: 'I do not know that answer. Nothing changed. Please pick one of the buttons.',
  notUnderstood: 'I did not quite get that. Pick a button, or type **help**.',
  noEarlierQuestion: 'This is the first question. There is no question before it.',
  paused: 'Your answers are saved. Come back whenever you like. Then pick **Go on** or type **go on**.',
  resumeTitle: 'Welcome back',
  resumeText: (answered, total) => `You answered ${answered} of ${total} questions. Do you want to go on?`,
  resume: 'Go on',
  restart: 'Start over',
  restartConfirm: 'Do you want to start over? Your answers will be erased.',
  restartYes: 'Yes, start over',
  restartNo: 'No, go on',
  restarted: 'You start again.',
  overviewTitle: 'Your answers',
  overviewText: 'Check your answers. All good? Then choose below how to send them.',
  overviewTextNoComments: 'Check your answers. All good? Then choose Send.',
  questionShort: (n) => `Question ${n}`,
  withComment: 'with comment',
  changeSomething: 'Change something',
  whichQuestion: 'Which question?',
  changeTheAnswer: 'Change the answer',
  writeComment: 'Write a comment',
  skippedLabel: "don't know",
  confirm: 'Send',
  thanksTitle: 'Thank you!',
  thanksText: 'Your answers have been sent. You will talk about them together at your next meeting.',
  alreadyCompleted: 'You already filled in and sent these questions. Thank you.',
  tooLong: (max) => `That message is too long for me. Please keep it under ${max} characters. Nothing changed.`,
  errorKind: 'Sorry, something went wrong on my side. Your answers are saved safely. Please try again in a moment, or type **continue**.',
  professionalSoon: 'You are signed in as the professional.',
  chosenRole: (role) => `You chose: ${role}`,
  notYours: 'This does not belong to your conversation. Nothing changed.',
  languageName: 'English',
  minutesFor,
  proSignedIn: (name) => `Welcome, ${name}. You are signed in as the professional.`,
  proLinkInvalid: 'This link does not work (any more). Ask your administrator for a new link.',
  proNeedsLink: 'Are you the support worker? Then open your personal link, or use the app in Teams.',
  proRevoked: 'Your access as a professional was withdrawn. Ask your administrator for a new link.',
  tenantNotAllowed: 'Your organisation is not connected to this bot yet. Please contact your administrator.',
  joined: 'Done! You are in.',
  joinRejected: {
    unknown: () => 'I do not know that code. Check that you typed it right.',
    expired: (roleWord) => `This invitation has expired. Ask your ${roleWord} for a new code.`,
    used: (roleWord) => `This code was already used. Ask your ${roleWord} for a new code.`,
    revoked: (roleWord) => `This invitation no longer works. Ask your ${roleWord} for a new code.`,
    cancelled: (roleWord) => `Your ${roleWord} stopped this round.`,
    rateLimited: () => 'You tried too often. Wait a little and try again.',
  },
  joinRateLimited: (minutes) => `You tried too often. Wait ${minutes === 1 ? '1 minute' : `${minutes} minutes`}. Then try again.`,
  recordUnreadable: 'We cannot read your answers right now. The administrator has been told. Nothing was deleted.',
  proLinkReplaced: 'Your personal link was replaced. Open the new link to go on.',
  clientThanksWithResults: 'Below you see what you answered, in short.',
  proThanksWaiting: 'Thank you. As soon as the client is done too, you get the comparison here.',
  summaryNotYet: (deadline) => `The comparison comes on ${deadline}, or as soon as you are both done.`,
  summaryIntro: (label, appointment, reason) =>
    reason === 'bothDone'
      ? `You are both done with the monitor for ${label} (meeting on ${appointment}). Here is the comparison.`
      : `The deadline for ${label} (meeting on ${appointment}) has passed. Here is the comparison with what there is.`,
  professionalReminder: (label, appointment, deadline) =>
    `Your own side of the monitor for ${label} is not done yet. The comparison comes on ${deadline} (meeting on ${appointment}). Type **my rounds** and choose Answer my side.`,
  roundAlreadyCreated: (description) =>
    `This invitation was already made: ${description}. No second round was added. You see the code only once. Lost it? Choose New code in My rounds.`,
  invitationAlreadyRenewed: (description) =>
    `This button already made a new code (${description}). It is further up in the chat. Nothing changed.`,
  roundAlreadyClosed: (label) => `Round ${label} had already stopped. Nothing changed.`,
  overviewLinkIntro: 'Open your overview with the button below. The link works once, within 15 minutes.',
  roundNotFound: 'I cannot find that round.',
  roundCancelled: (label) => `Round ${label} was cancelled. The invitation no longer works.`,
  roundDeleted: (label) => `Round ${label} and all its answers were deleted.`,
  roundInputProblem: (field) =>
    ({
      clientLabel: 'Fill in a label for the client (at most 40 characters, no real name needed).',
      appointmentDate: 'Pick a date for the meeting: today or later, within a year.',
      domain: 'Pick a field from the list.',
      form: 'Pick the full or the short questionnaire.',
    })[field] ?? 'Something in the form is not right.',
  cannotResend: 'A new code is only possible while the client has not started and the round is open.',
  reminder: (date) => `Hi! You have not finished the questions yet. Your meeting is on ${date}. Type **continue** to go on.`,
  followUpQuestion: 'What would help?',
  followUpHint: 'You may type something about it. You do not have to.',
  commentQuestion: 'Do you want to explain something?',
  commentLabel: 'Your comment (optional)',
  commentSave: 'Save comment',
  commentSkip: 'No, go on',
  commentSaved: 'Thank you. Your comment is saved.',
  sendWithComments: (roleWord) => `My ${roleWord} may read my comments`,
  sendWithoutComments: 'Only send my answers',
  sharingQuestion: (roleWord) => `You wrote comments. May your ${roleWord} read them? You choose.`,
  didYouMean: 'I am not sure what you mean. Do you mean one of these?',
  notOneOfThese: 'No, something else',
  changeAnswer: 'Change',
  answerOrComment: 'Is this your answer or a comment?',
  itIsMyAnswer: 'My answer',
  itIsAComment: 'A comment',
  pickAnswerWithButton: 'Nothing was saved. Pick your answer with a button.',
  commentHeld: 'Thank you. Your comment goes with this question. Now pick your answer.',
  turnConflict: 'That arrived at the same time as another message. Nothing is lost. Please try again, or type **continue**.',
};

const ALL: Record<Locale, Strings> = { nl, en };

export function strings(locale: Locale): Strings {
  return ALL[locale];
}
