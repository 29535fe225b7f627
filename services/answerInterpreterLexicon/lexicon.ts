import type { ScaleValue } from '../vocabulary';
import type { AnswerEntry, AnswerWeight, IntentKind, LexiconEntry, LexiconRow, SettingKind } from './lexiconEntry';

/**
 * The words and phrases clients type in reply to a scale question, Dutch and English together
 * (people switch languages mid-reply). Canonical spelling only: variant spellings go in
 * `SPELLING_VARIANTS`, typos are left to fuzzy matching.
 *
 * @remarks Values follow the scale: 1 = no / never, 2 = mostly not, 3 = sometimes / partly,
 * 4 = mostly yes / often, 5 = yes / always.
 */

type AnswerExtras = Omit<AnswerEntry, 'role' | 'value' | 'weight'>;

const answer = (value: ScaleValue, weight: AnswerWeight, extras: AnswerExtras = {}): AnswerEntry => ({ role: 'answer', value, weight, ...extras });
const intent = (kind: IntentKind, setting?: SettingKind): LexiconEntry => (setting ? { role: 'intent', kind, setting } : { role: 'intent', kind });

const rows = (entry: LexiconEntry, words: readonly string[], gap?: readonly string[]): LexiconRow[] =>
  words.map((w) => (gap ? { words: w, entry, gap } : { words: w, entry }));

/** Words that may sit inside "weet … niet", "snap … niet" and similar phrases. */
const PRONOUN_GAP = ['ik', 'het', 't', 'k', 'echt', 'eigenlijk', 'ook', 'nou', 'nog', 'even', 'gewoon', 'er', 'zo', 'helemaal', 'dus', 'nu', 'zelf', 'heus', 'i', 'really', 'do', 'just', 'it', 'honestly'];
const QUESTION_GAP = [...PRONOUN_GAP, 'dat', 'de', 'die', 'deze', 'vraag', 'em', 'hem', 'wat', 'je', 'u', 'the', 'question', 'this', 'what', 'you', 'mean'];

const ANSWERS: LexiconRow[] = [
  // Yes particles.
  ...rows(answer(5, 'particle'), ['ja', 'yes', 'yeah', 'yep', 'yup', 'ya', 'yea', 'jep', 'jup', 'jawohl', 'jaja', 'yes please']),
  ...rows(answer(5, 'graded', { negated: 1, postNegated: 1 }), ['jawel', 'jazeker', 'zeker weten', 'inderdaad', 'natuurlijk', 'uiteraard', 'of course', 'zeer zeker', 'precies', 'exactly', 'indeed', 'certainly', 'sure', 'for sure', 'honderd procent', 'top', 'perfect', 'great', 'excellent', 'uitstekend']),
  ...rows(answer(5, 'graded', { negated: 3, negatedLean: 2, postNegated: 1, intensifies: true, maximal: true }), ['totally', 'super']),
  ...rows(answer(1, 'graded'), ['no way', 'never ever', 'nooit niet', 'welnee', 'welneen', 'nee hoor', 'no no', 'nee nee', 'nee joh', 'echt nie', 'nooit ofte nimmer']),
  // No particles.
  ...rows(answer(1, 'particle'), ['nee', 'neen', 'no', 'nope', 'nah', 'nay', 'nein', 'nop']),
  // Both at once.
  ...rows(answer(3, 'graded'), ['ja en nee', 'ja nee', 'yes and no', 'yes no', 'soms wel soms niet', 'sometimes yes sometimes no', 'wel en niet', 'half half', 'half om half', 'fifty fifty', 'so so', 'soso', 'zozo', 'min of meer', 'more or less', 'kind of', 'kinda', 'sort of', 'sorta', 'af en toe', 'zo nu en dan', 'now and then', 'every now and then', 'gaat wel', 'valt mee', 'in het midden', 'er tussenin', 'ertussenin', 'tussenin', 'in between', 'zo zo', 'neutraal', 'neutral', 'gemiddeld', 'average', 'middel', 'middelmatig', 'midden', 'okayish']),
  // Frequency words.
  ...rows(answer(1, 'graded', { negated: 3, intensified: 1 }), ['nooit', 'never', 'nimmer', 'geen enkele keer']),
  ...rows(answer(2, 'graded', { negated: 4, intensified: 1 }), ['zelden', 'rarely', 'seldom', 'weinig', 'nauwelijks', 'amper', 'hardly', 'barely', 'hardly ever', 'bijna nooit', 'almost never', 'nearly never', 'heel soms', 'little']),
  ...rows(answer(3, 'graded', { negated: 3, postNegated: 3, negatedLean: 4, intensified: 2 }), ['soms', 'sometimes', 'occasionally', 'soms wel']),
  ...rows(answer(2, 'graded'), ['kan beter', 'kon beter', 'could be better', 'misschien niet', 'maybe not', 'perhaps not', 'eerder niet']),
  ...rows(answer(3, 'graded', { negated: 3, postNegated: 2, intensified: 2 }), ['partly', 'partially', 'deels', 'gedeeltelijk', 'ten dele', 'enigszins', 'somewhat', 'a bit', 'a little', 'een beetje', 'beetje', 'bietje', 'een klein beetje', 'misschien', 'maybe', 'perhaps', 'wellicht', 'mogelijk', 'possibly', 'af en toe wel', 'wisselend', 'it depends', 'depends', 'hangt ervan af', 'hangt er vanaf', 'hangt af', 'soms ja', 'sometimes yes', 'beetje wel', 'een beetje wel']),
  ...rows(answer(4, 'graded', { negated: 2, postNegated: 2, intensified: 5 }), ['vaak', 'often', 'regelmatig', 'regularly', 'meestal', 'usually', 'mostly', 'meestentijds', 'grotendeels', 'largely', 'bijna altijd', 'almost always', 'nearly always', 'veel', 'much', 'a lot', 'heel vaak maar niet altijd', 'best wel', 'bestwel', 'pretty much', 'vrij vaak', 'most of the time', 'most times', 'meeste van de tijd', 'de meeste keren', 'meestal wel', 'redelijk vaak', 'denk het wel', 'denk van wel', 'think so', 'geloof het wel', 'geloof van wel', 'volgens mij wel', 'grotendeels wel', 'overwegend']),
  ...rows(answer(2, 'graded'), ['denk het niet', 'denk van niet', 'dont think so', 'geloof het niet', 'geloof van niet', 'volgens mij niet', 'eigenlijk niet', 'not quite', 'bijna niet', 'almost not', 'niet zo', 'not so', 'not too']),
  ...rows(answer(4, 'graded', { negated: 2, postNegated: 2, intensified: 5, modifier: true }), ['best', 'nogal', 'quite', 'rather', 'pretty']),
  ...rows(answer(3, 'graded', { negated: 2, intensified: 4, modifier: true }), ['fairly', 'redelijk', 'tamelijk', 'behoorlijk']),
  ...rows(answer(5, 'graded'), ['echt wel', 'absoluut wel', 'zeker wel', 'helemaal wel', 'totaal wel']),
  ...rows(answer(5, 'graded', { negated: 3, negatedLean: 4, postNegated: 1, intensified: 5 }), ['altijd', 'always', 'steeds', 'elke keer', 'every time', 'constant', 'continu', 'all the time']),
  // Degree and truth words.
  ...rows(answer(5, 'graded', { negated: 3, negatedLean: 2, postNegated: 1, intensifies: true, maximal: true }), ['helemaal', 'totaal', 'volledig', 'completely', 'fully', 'entirely', 'absoluut', 'absolutely', 'definitely', 'zeker', 'honderd procent', 'volkomen']),
  ...rows(answer(5, 'graded', { negated: 2, postNegated: 1, intensifies: true }), ['echt', 'really', 'heel erg', 'zeer', 'erg', 'heel veel', 'very much']),
  ...rows(answer(5, 'graded', { negated: 1, postNegated: 1 }), ['klopt', 'waar', 'true', 'correct', 'juist', 'eens', 'agree', 'akkoord', 'right', 'dat klopt', 'that is right', 'thats right', 'dat is zo', 'agreed', 'strongly agree']),
  ...rows(answer(1, 'graded', { negated: 4, intensified: 1 }), ['oneens', 'disagree', 'onwaar', 'false', 'fout', 'wrong', 'onzin', 'nonsense', 'slecht', 'bad', 'strongly disagree', 'klopt niks', 'klopt van geen kant', 'klopt geen bal', 'nergens']),
  ...rows(answer(1, 'graded', { negated: 4, intensified: 1, evaluative: true }), ['slecht', 'bad', 'vreselijk', 'verschrikkelijk', 'terrible', 'awful', 'waardeloos', 'kut', 'stom', 'rot']),
  ...rows(answer(4, 'graded', { negated: 2, postNegated: 2, intensified: 5, evaluative: true }), ['goed', 'good', 'prima', 'fine', 'fijn', 'leuk', 'nice', 'mooi', 'lekker', 'chill', 'geweldig']),
  ...rows(answer(4, 'graded', { negated: 2, postNegated: 2, intensified: 5 }), ['somewhat agree', 'grotendeels eens', 'mostly agree', 'mostly true', 'grotendeels waar', 'geen probleem', 'no problem', 'geen punt', 'geen klachten', 'no complaints', 'niks mis mee', 'niets mis mee', 'nothing wrong', 'niet slecht', 'not bad']),
  ...rows(answer(2, 'graded', { negated: 4, intensified: 1, evaluative: true }), ['matig']),
  ...rows(answer(2, 'graded', { negated: 4, intensified: 1 }), ['somewhat disagree', 'mostly disagree', 'mostly false']),
  ...rows(answer(4, 'particle'), ['ok', 'oke', 'okay', 'okey', 'oki', 'wel', 'alright', 'denk het', 'yes but', 'ja maar']),
  ...rows(answer(3, 'particle', { hedge: true }), ['mwah', 'mwa', 'mweh', 'meh', 'tja', 'pff', 'hmm', 'mja', 'mwoah', 'nja', 'ach']),
];

const NEGATORS: LexiconRow[] = rows({ role: 'negator' }, ['niet', 'geen', 'not', 'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'cant', 'cannot', 'wont', 'niks', 'niets', 'nothing', 'nt']);

const INTENSIFIERS: LexiconRow[] = [
  ...rows({ role: 'intensifier' }, ['heel', 'very', 'so', 'zo', 'too', 'te', 'mega', 'hartstikke', 'ontzettend', 'enorm', 'extreem', 'hele', 'ultra', 'that', 'zon', 'such']),
];

const DOWNTONERS: LexiconRow[] = rows({ role: 'downtoner' }, ['bijna', 'almost', 'nearly', 'haast', 'vrijwel', 'practically', 'eerder', 'ietwat']);

const NUMBERS: LexiconRow[] = [
  { words: 'een', entry: { role: 'number', value: 1, article: true } },
  { words: 'one', entry: { role: 'number', value: 1, article: true } },
  { words: 'eennum', entry: { role: 'number', value: 1 } },
  ...(
    [
      [2, ['twee', 'two', 'tweetje']],
      [3, ['drie', 'three', 'drietje']],
      [4, ['vier', 'four', 'viertje']],
      [5, ['vijf', 'five', 'vijfje']],
    ] as const
  ).flatMap(([value, words]) => rows({ role: 'number', value }, words)),
];

const INTENTS: LexiconRow[] = [
  ...rows(intent('skip'), ['weet niet', 'dont know', 'not know', 'no idea', 'not sure', 'niet zeker'], PRONOUN_GAP),
  ...rows(intent('skip'), ['sla over'], ['deze', 'die', 'dit', 'maar', 'ik', 'hem', 'em', 'even', 'vraag', 'ze', 'nu', 'gewoon']),
  ...rows(intent('skip'), ['geen idee', 'geen flauw idee', 'geen flauw benul', 'geen benul', 'no clue', 'not a clue', 'overslaan', 'skip', 'skippen', 'skip this', 'pass', 'volgende', 'volgende vraag', 'next', 'next question', 'dont know', 'do not know', 'dunno', 'idk', 'no idea', 'not sure', 'niet zeker', 'weet niet zeker', 'weet ik veel', 'geen antwoord', 'geen mening', 'no opinion', 'liever niet', 'zeg ik liever niet', 'wil ik niet zeggen', 'rather not say', 'prefer not to say', 'rather not', 'no comment', 'geen commentaar', 'nvt', 'niet van toepassing', 'not applicable', 'laat maar', 'weet ik nog niet', 'kan ik niet zeggen', 'cant say', 'hard to say', 'moeilijk te zeggen', 'lastig te zeggen', 'vraag overslaan', 'deze vraag overslaan']),
  ...rows(intent('back'), ['terug', 'ga terug', 'vorige', 'vorige vraag', 'een vraag terug', 'back', 'go back', 'previous', 'previous question', 'undo', 'ongedaan maken', 'oeps', 'oops', 'verkeerde knop', 'verkeerd gedrukt', 'verkeerd geklikt', 'wrong button', 'veranderen', 'wijzigen', 'aanpassen', 'verbeteren', 'corrigeren', 'verander', 'wijzig', 'change', 'correct that', 'terug naar vorige']),
  ...rows(intent('pause'), ['stop', 'stoppen', 'ik stop', 'pauze', 'pauzeren', 'pause', 'later verder', 'straks verder', 'morgen verder', 'later', 'niet nu', 'not now', 'continue later', 'later please', 'moet weg', 'ik moet weg', 'geen tijd', 'no time', 'ophouden', 'hou op', 'kappen', 'quit', 'exit', 'ik kap ermee', 'ik ben klaar', 'klaar', 'genoeg', 'enough', 'even stoppen', 'een andere keer', 'another time', 'ga later verder', 'wacht even', 'even wachten', 'wait', 'hold on', 'stop please', 'have to go', 'got to go', 'gotta go', 'need to go', 'must go', 'moet gaan', 'moet nu gaan', 'moet nu weg', 'geen zin meer', 'geen zin nu', 'break', 'need a break', 'take a break', 'pauze nodig']),
  ...rows(intent('help'), ['snap niet', 'snap het niet', 'begrijp niet', 'begrijp het niet', 'dont understand', 'not understand', 'do not understand', 'dont get it', 'dont get'], QUESTION_GAP),
  ...rows(intent('help'), ['help', 'hulp', 'helpen', 'help me', 'hulp nodig', 'uitleg', 'leg uit', 'leg het uit', 'wat bedoel je', 'wat bedoelt u', 'wat betekent dat', 'wat betekent dit', 'wat wordt bedoeld', 'wat moet ik doen', 'hoe werkt dit', 'hoe werkt het', 'hoe moet dit', 'wat moet ik antwoorden', 'wat moet ik', 'wat is de bedoeling', 'what is the point', 'uitleggen', 'uitleggen aub', 'what do you mean', 'what does that mean', 'what does this mean', 'explain', 'explain please', 'how does this work', 'what should i do', 'herhaal', 'herhalen', 'nog een keer', 'repeat', 'snap er niks van', 'snap er niets van', 'onduidelijk', 'unclear', 'ik snap de vraag niet', 'vraag niet duidelijk', 'begrijp de vraag niet']),
  ...rows(intent('restart'), ['opnieuw', 'opnieuw beginnen', 'begin opnieuw', 'overnieuw', 'opnieuw starten', 'van voor af aan', 'vanaf het begin', 'van het begin', 'alles opnieuw', 'restart', 'start over', 'start again', 'begin again', 'reset', 'from the start', 'from the beginning', 'nieuwe start', 'overdoen', 'alles overdoen']),
  ...rows(intent('settings', 'language'), ['english', 'engels', 'in english', 'english please', 'in het engels', 'nederlands', 'dutch', 'in het nederlands', 'in dutch', 'taal', 'andere taal', 'taal veranderen', 'language', 'change language', 'other language', 'speak english', 'spreek engels', 'nederlandse taal', 'turks', 'arabisch', 'pools', 'frans', 'duits']),
  ...rows(intent('settings', 'simpleWords'), ['makkelijke woorden', 'makkelijker', 'makkelijke taal', 'simpel', 'simpele woorden', 'simpele taal', 'eenvoudig', 'eenvoudiger', 'eenvoudige taal', 'eenvoudige woorden', 'moeilijke woorden', 'te moeilijk', 'te moeilijke woorden', 'teveel moeilijke woorden', 'simple words', 'simpler', 'simple', 'easy words', 'easier', 'easier words', 'plain language', 'plain english', 'too difficult', 'too hard', 'difficult words', 'hard words', 'normale woorden', 'gewone woorden', 'gewone taal', 'simpler please', 'b1', 'makkelijker graag', 'andere woorden']),
];

/**
 * Known words with no meaning for the scale. They are explained (they do not lower the
 * confidence) and never fuzzy-matched, so "hoop" does not turn into "hoor" nor "vaag" into "vaak".
 */
const FILLERS: readonly string[] = [
  'hoor', 'joh', 'nou', 'nouja', 'tsja', 'eh', 'uh', 'uhm', 'ehm', 'euh', 'mee', 'mijn', 'vind', 'vindt', 'vinden', 'denk', 'geloof', 'volgens', 'mij',
  'dat', 'het', 'is', 'zo', 'ben', 'voel', 'voelt', 'gaat', 'gaan', 'ga', 'wil', 'willen', 'kan', 'mag', 'moet', 'eigenlijk', 'gewoon', 'even', 'ff',
  'wel', 'dan', 'toch', 'hoe', 'wat', 'waarom', 'wie', 'waar', 'wanneer', 'laat', 'tijd', 'uur', 'vaag', 'hoop', 'hope', 'please', 'alsjeblieft', 'aub',
  'graag', 'dank', 'bedankt', 'thanks', 'thank', 'you', 'keer', 'keren', 'times', 'time', 'cijfer', 'nummer', 'optie', 'antwoord', 'score', 'punt', 'punten',
  'geef', 'give', 'would', 'say', 'zeg', 'zeggen', 'weet', 'weten', 'know', 'idee', 'snap', 'begrijp', 'understand', 'vraag', 'question', 'vragen',
  'begeleider', 'hulpverlener', 'reclassering', 'werker', 'contact', 'gesprek', 'gesprekken', 'afspraak', 'afspraken', 'doel', 'doelen', 'regels',
  'voorwaarden', 'praten', 'luistert', 'luisteren', 'gehoord', 'gesteund', 'serieus', 'genomen', 'vertrouwen', 'vertrouw', 'eerlijk', 'samen',
  'mens', 'persoon', 'ik', 'k', 'je', 'jij', 'jou', 'u', 'hij', 'zij', 'ze', 'we', 'wij', 'i', 'im', 'am', 'feel', 'think', 'guess', 'it', 'its',
  'this', 'that', 'the', 'a', 'an', 'with', 'me', 'my', 'he', 'she', 'they', 'we', 'do', 'does', 'be', 'is', 'are', 'was', 'ever', 'at', 'all',
  'een', 'of', 'and', 'or', 'en', 'ook', 'nog', 'al', 'er', 'daar', 'hier', 'zeker', 'echt', 'sorry', 'sory', 'oh', 'o', 'ah', 'ahh', 'nee', 'eens',
  'hallo', 'hoi', 'hey', 'hi', 'hello', 'dag', 'doei', 'goedemorgen', 'goeiemorgen', 'goedemiddag', 'goeiemiddag', 'goedenavond', 'goeienavond', 'goedenacht', 'welterusten', 'morgen', 'vandaag', 'gister', 'week', 'soms', 'pas', 'net', 'nu', 'weer', 'heb', 'hebben',
  'had', 'was', 'waren', 'zijn', 'worden', 'word', 'wordt', 'werd', 'kom', 'komt', 'komen', 'doe', 'doen', 'doet', 'zie', 'zien', 'maak', 'maakt',
  'dingen', 'ding', 'iets', 'alles', 'iemand', 'niemand', 'mensen', 'werk', 'school', 'thuis', 'huis', 'geld', 'schuld', 'schulden', 'boete',
  'probleem', 'problemen', 'zin', 'vak', 'vakje', 'knop', 'knopje', 'klik', 'klikken', 'typ', 'typen', 'type', 'bericht', 'chat', 'bot', 'lezen',
  'blijf', 'blijft', 'kunnen', 'zou', 'zal', 'gaat', 'lijkt', 'ok', 'feeling', 'gevoel', 'haha', 'hahaha', 'lol', 'xd', 'wow', 'pfff', 'zucht',
  // Common words close to a lexicon word; known, so never "repaired" into it (bent ≠ best, just ≠ juist).
  'bent', 'bend', 'best', 'kun', 'kunt', 'wilt', 'hebt', 'moeten', 'mogen', 'ligt', 'eraan', 'ervan', 'vanaf', 'maar', 'nooit', 'hoeveel', 'welke',
  'waarom', 'omdat', 'zoals', 'dus', 'dit', 'deze', 'die', 'jullie', 'hun', 'haar', 'hem', 'zich', 'zelf', 'elkaar', 'boos', 'blij', 'moe', 'ziek',
  'honger', 'dorst', 'bus', 'trein', 'telefoon', 'leeg', 'vol', 'bellen', 'gebeld', 'mail', 'brief', 'uitkering', 'gemeente', 'rechter', 'politie',
  'advocaat', 'jeugdzorg', 'toezicht', 'opvang', 'zorg', 'kind', 'kinderen', 'moeder', 'vader', 'vriend', 'vriendin', 'baas', 'geleden', 'straks',
  'just', 'tell', 'tells', 'told', 'what', 'when', 'why', 'who', 'how', 'time', 'honestly', 'actually', 'maybe', 'she', 'her', 'him', 'his', 'they',
  'them', 'their', 'there', 'here', 'get', 'got', 'go', 'going', 'went', 'want', 'wants', 'need', 'needs', 'have', 'has', 'make', 'made', 'let',
  'listen', 'listens', 'listened', 'officer', 'probation', 'worker', 'appointment', 'meeting', 'angry', 'happy', 'tired', 'hungry', 'phone', 'call',
  'weather', 'today', 'tomorrow', 'yesterday', 'work', 'home', 'money', 'job', 'court', 'judge', 'police', 'kids', 'mother', 'father', 'friend',
  'hours', 'minutes', 'even', 'still', 'already', 'also', 'too', 'much', 'many', 'more', 'less', 'some', 'any', 'thing', 'things', 'stuff',
];

/** Variant spellings people type, mapped to the canonical word(s) of the lexicon. */
export const SPELLING_VARIANTS: Readonly<Record<string, string>> = {
  jaa: 'ja', jah: 'ja', jaah: 'ja', jaw: 'ja', yaa: 'ja', ye: 'yes', yess: 'yes', yas: 'yes', yesss: 'yes', jes: 'yes', yeh: 'yeah', yh: 'yeah',
  neej: 'nee', nej: 'nee', neh: 'nee', nee: 'nee', ne: 'nee', nei: 'nee', neeh: 'nee', neee: 'nee', noo: 'no', nooo: 'no', nop: 'nope',
  nie: 'niet', nit: 'niet', niett: 'niet', nied: 'niet', nt: 'niet', nijt: 'niet', nieet: 'niet', neit: 'niet',
  nooid: 'nooit', noit: 'nooit', nooijt: 'nooit', nooitt: 'nooit', nevr: 'never', nevah: 'never',
  altyd: 'altijd', altijt: 'altijd', altijdt: 'altijd', alltijd: 'altijd', altyt: 'altijd', alteid: 'altijd', allweys: 'always', alwys: 'always', allways: 'always',
  soms: 'soms', zoms: 'soms', somz: 'soms', sows: 'soms', somtimes: 'sometimes', sometims: 'sometimes',
  vak: 'vak', vaakt: 'vaak', faak: 'vaak', vaek: 'vaak', ofte: 'often', ofen: 'often',
  mischien: 'misschien', misschein: 'misschien', mischein: 'misschien', misschien: 'misschien', mss: 'misschien', misch: 'misschien', mybe: 'maybe', mabye: 'maybe', mayb: 'maybe',
  egt: 'echt', echd: 'echt', ech: 'echt', eigk: 'eigenlijk', eigl: 'eigenlijk', eigelijk: 'eigenlijk', eigenluk: 'eigenlijk',
  helemaal: 'helemaal', hellemaal: 'helemaal', helemaaal: 'helemaal', hlml: 'helemaal', heelmaal: 'helemaal', helemal: 'helemaal', helmaal: 'helemaal',
  zeke: 'zeker', zekr: 'zeker', zekur: 'zeker', tuurlijk: 'natuurlijk', tuurluk: 'natuurlijk', natuurluk: 'natuurlijk', natuurlik: 'natuurlijk', tuulijk: 'natuurlijk',
  idd: 'inderdaad', indd: 'inderdaad', nderdaad: 'inderdaad',
  wt: 'weet', wet: 'weet', weed: 'weet', weetnie: 'weet niet', weetnik: 'weet ik', kweenie: 'ik weet niet', kwenie: 'ik weet niet', kweetnie: 'ik weet niet',
  kweet: 'ik weet', kzeg: 'ik zeg', kdenk: 'ik denk', kvind: 'ik vind', kben: 'ik ben', kga: 'ik ga', kwil: 'ik wil', tis: 'het is', tklopt: 'het klopt',
  dnk: 'denk', denkt: 'denk', denke: 'denk', geloove: 'geloof',
  oké: 'oke', okee: 'oke', okey: 'okey', oky: 'oke', okido: 'oke', okidoki: 'oke', oka: 'oke', kk: 'ok',
  stopp: 'stop', stope: 'stop', stopen: 'stoppen', pouze: 'pauze', pauzen: 'pauze', pause: 'pause', pouse: 'pauze',
  trug: 'terug', terg: 'terug', teru: 'terug', trg: 'terug', vorge: 'vorige', vorig: 'vorige',
  opnieuwe: 'opnieuw', opnieu: 'opnieuw', opnw: 'opnieuw', overnieuw: 'overnieuw',
  hlp: 'help', halp: 'help', hepl: 'help', hulp: 'hulp',
  snapt: 'snap', snappe: 'snap', snappen: 'snap', begrijpt: 'begrijp', begreip: 'begrijp', snapik: 'snap ik', snaptniet: 'snap niet',
  englisch: 'english', englis: 'english', engelsh: 'engels', nederlans: 'nederlands', nederlandsch: 'nederlands', nl: 'nederlands',
  makelijk: 'makkelijk', makelijke: 'makkelijke', makkelike: 'makkelijke', makkelijker: 'makkelijker', moeilijke: 'moeilijke', moelijke: 'moeilijke', moeilike: 'moeilijke', woorde: 'woorden',
  dunno: 'dunno', donno: 'dunno', dno: 'dunno',
  beetje: 'beetje', bietje: 'beetje', beetjes: 'beetje', beitje: 'beetje', btje: 'beetje',
  gwn: 'gewoon', gewn: 'gewoon', nu: 'nu', ff: 'even', miss: 'misschien', welles: 'wel', wl: 'wel', wel: 'wel',
  klopt: 'klopt', klop: 'klopt', klopte: 'klopt', kloppen: 'klopt', kopt: 'klopt',
  meestal: 'meestal', mestal: 'meestal', meestel: 'meestal', meestaal: 'meestal', meeste: 'meestal', mostal: 'meestal',
  regelmatig: 'regelmatig', rgelmatig: 'regelmatig',
  zelde: 'zelden', zeldn: 'zelden', selden: 'zelden',
  dont: 'dont', dnt: 'dont', doesnt: 'doesnt', cant: 'cant', wont: 'wont', isnt: 'isnt', didnt: 'didnt',
  abselluut: 'absoluut', absolut: 'absoluut', apsoluut: 'absoluut', absoluud: 'absoluut',
  prima: 'prima', priema: 'prima', goedd: 'goed', goe: 'goed', gued: 'goed', goot: 'goed',
  mn: 'mijn',
};

/** Emoji and emoticons, rewritten to lexicon words before tokenising. */
export const EMOJI_WORDS: ReadonlyArray<readonly [string, string]> = [
  ['👍', 'emojiyes'], ['👌', 'emojiok'], ['✅', 'emojiyes'], ['✔', 'emojiyes'], ['☑', 'emojiyes'], ['💯', 'emojiyes'], ['👏', 'emojiyes'], ['🙌', 'emojiyes'], ['💪', 'emojiyes'],
  ['❤', 'emojiyes'], ['♥', 'emojiyes'], ['💚', 'emojiyes'], ['💙', 'emojiyes'], ['🧡', 'emojiyes'], ['💛', 'emojiyes'], ['😍', 'emojiyes'], ['🥰', 'emojiyes'], ['🤩', 'emojiyes'], ['🥳', 'emojiyes'],
  ['😀', 'emojigrin'], ['😃', 'emojigrin'], ['😄', 'emojigrin'], ['😁', 'emojigrin'], ['😆', 'emojigrin'], ['😂', 'emojilaugh'], ['🤣', 'emojilaugh'],
  ['🙂', 'emojismile'], ['😊', 'emojismile'], ['☺', 'emojismile'], ['😉', 'emojismile'], ['😌', 'emojismile'],
  ['😐', 'emojineutral'], ['😑', 'emojineutral'], ['😶', 'emojineutral'], ['🫤', 'emojimeh'], ['😕', 'emojimeh'], ['😬', 'emojimeh'],
  ['🙁', 'emojifrown'], ['😒', 'emojifrown'], ['😔', 'emojifrown'], ['😞', 'emojisad'], ['😟', 'emojisad'], ['☹', 'emojisad'], ['😢', 'emojisad'], ['😭', 'emojisad'], ['😩', 'emojisad'], ['😫', 'emojisad'],
  ['😠', 'emojino'], ['😡', 'emojino'], ['🤬', 'emojino'], ['👎', 'emojino'], ['❌', 'emojino'], ['✖', 'emojino'], ['🚫', 'emojino'], ['⛔', 'emojino'], ['💔', 'emojino'],
  ['🤷', 'emojishrug'], ['❓', 'emojiquestion'], ['❔', 'emojiquestion'], ['🤔', 'emojithink'], ['⏸', 'emojipause'], ['✋', 'emojipause'], ['🛑', 'emojipause'], ['⏪', 'emojiback'], ['◀', 'emojiback'], ['🔙', 'emojiback'], ['🔄', 'emojirestart'],
];

/** Text emoticons, matched on the raw reply (case matters: ":D" vs ":d"). */
export const EMOTICONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(?:^|\s)[:;=8]-?[)\]}]+(?=\s|$)/g, ' emojismile '],
  [/(?:^|\s)\(+-?[:;=](?=\s|$)/g, ' emojismile '],
  [/(?:^|\s)[:;=]-?[dD]+(?=\s|$)|(?:^|\s)[xX][dD]+(?=\s|$)/g, ' emojigrin '],
  [/(?:^|\s)[:=]'-?\(+(?=\s|$)/g, ' emojisad '],
  [/(?:^|\s)[:=]-?\(+(?=\s|$)/g, ' emojifrown '],
  [/(?:^|\s)[:=]-?[|]+(?=\s|$)/g, ' emojineutral '],
  [/(?:^|\s)[:=]-?[/\\sS](?=\s|$)/g, ' emojimeh '],
  [/(?:^|\s)<3+(?=\s|$)/g, ' emojiyes '],
  [/(?:^|\s)\+1(?=\s|$)/g, ' emojiyes '],
  [/(?:^|\s)-1(?=\s|$)/g, ' emojino '],
];

const EMOJI_ENTRIES: LexiconRow[] = [
  { words: 'emojiyes', entry: answer(5, 'graded') },
  { words: 'emojigrin', entry: answer(5, 'graded') },
  { words: 'emojiok', entry: answer(4, 'graded') },
  { words: 'emojismile', entry: answer(4, 'graded') },
  { words: 'emojineutral', entry: answer(3, 'graded') },
  { words: 'emojimeh', entry: answer(2, 'graded', { hedge: true }) },
  { words: 'emojifrown', entry: answer(2, 'graded') },
  { words: 'emojisad', entry: answer(1, 'graded') },
  { words: 'emojino', entry: answer(1, 'graded') },
  { words: 'emojishrug', entry: intent('skip') },
  { words: 'emojipause', entry: intent('pause') },
  { words: 'emojiback', entry: intent('back') },
  { words: 'emojirestart', entry: intent('restart') },
  { words: 'emojiquestion', entry: { role: 'filler' } },
  { words: 'emojithink', entry: { role: 'filler' } },
  { words: 'emojilaugh', entry: { role: 'filler' } },
];

/** Phrases whose words mean something else in them ("vorige week" is no request to go back). */
const FILLER_PHRASES: readonly string[] = [
  'vorige week', 'vorige keer', 'vorige maand', 'vorig jaar', 'vorige afspraak', 'vorige gesprek', 'volgende week', 'volgende keer', 'volgende maand',
  'volgende afspraak', 'volgende gesprek', 'last week', 'last time', 'next week', 'next time', 'next appointment', 'waar is', 'waar kan', 'waar moet',
  'waar zijn', 'waar staat', 'waar ligt', 'waar woon', 'where is', 'haar best', 'zijn best', 'mijn best', 'zn best', 'je best', 'hun best',
  'her best', 'his best', 'my best', 'their best', 'good morning', 'good afternoon', 'good evening', 'good night', 'goede morgen', 'stop met', 'help mij met', 'opnieuw gepakt', 'terug naar huis', 'terug naar de gevangenis',
];

/** All rows, most specific first: phrases are matched longest-first regardless of this order. */
export const LEXICON_ROWS: readonly LexiconRow[] = [
  ...INTENTS,
  ...ANSWERS,
  ...NEGATORS,
  ...INTENSIFIERS,
  ...DOWNTONERS,
  ...NUMBERS,
  ...EMOJI_ENTRIES,
  ...FILLER_PHRASES.map((words): LexiconRow => ({ words, entry: { role: 'filler' } })),
  ...FILLERS.map((words): LexiconRow => ({ words, entry: { role: 'filler' } })),
];

/** Words that end one clause and start another: negation does not reach across them. */
export const CLAUSE_BREAKERS: ReadonlySet<string> = new Set(['maar', 'but', 'want', 'omdat', 'because', 'although', 'hoewel', 'alleen', 'however', 'though', 'behalve', 'except']);
