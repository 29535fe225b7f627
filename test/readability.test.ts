import {
  countSyllablesEn,
  countSyllablesNl,
  englishReadabilityOf,
  fleschDouma,
  leesindexA,
  readabilityOf,
  sentences,
  words,
} from '../services/questionnaire/readability';

describe('countSyllablesNl', () => {
  // Counts follow Dutch hyphenation (Woordenlijst), spoken numbers for digits.
  const known: [string, number][] = [
    ['ik', 1],
    ['huis', 1],
    ['eeuw', 1],
    ['vrouw', 1],
    ['blauw', 1],
    ['nieuw', 1],
    ['jij', 1],
    ['jaar', 1],
    ['goed', 1],
    ['eerlijk', 2],
    ['moeilijk', 2],
    ['mooie', 2],
    ['groeien', 2],
    ['aaien', 2],
    ['bijeen', 2],
    ['vrije', 2],
    ['cliënt', 2],
    ['zeeën', 2],
    ['ideeën', 3],
    ['ideaal', 3],
    ['radio', 3],
    ['rustige', 3],
    ['duidelijk', 3],
    ['gesprekken', 3],
    ['vertrouwen', 3],
    ['situatie', 4],
    ['begeleider', 4],
    ['klantmanager', 4],
    ['jeugdbeschermer', 4],
    ['schuldhulpverlener', 5],
    ['geïnteresseerd', 5],
    ['reclasseringswerker', 6],
    ['één', 1],
    ['Vóór', 1],
    ['DUIDELIJK', 3],
    ["auto's", 2],
    ["zo'n", 1],
    ['e-mail', 2],
    ['online', 2],
    ['coach', 1],
    ['baby', 2],
    ['yoga', 2],
  ];
  it.each(known)('%s has %i syllables', (word, expected) => {
    expect(countSyllablesNl(word)).toBe(expected);
  });

  const numbers: [string, number][] = [
    ['3', 1], // drie
    ['7', 2], // ze-ven
    ['19', 3], // ne-gen-tien
    ['21', 4], // een-en-twin-tig
    ['22', 4], // twee-ën-twin-tig
    ['100', 2], // hon-derd
    ['2024', 7], // twee-dui-zend-vier-en-twin-tig
    ['0612', 4], // read digit by digit: nul zes een twee
  ];
  it.each(numbers)('the number %s is read with %i syllables', (digits, expected) => {
    expect(countSyllablesNl(digits)).toBe(expected);
  });

  it('gives no syllables to punctuation and at least one to any word', () => {
    expect(countSyllablesNl('...')).toBe(0);
    expect(countSyllablesNl('pst')).toBe(1);
  });
});

describe('countSyllablesEn', () => {
  it.each([
    ['you', 1],
    ['make', 1],
    ['worked', 1],
    ['wanted', 2],
    ['table', 2],
    ['really', 2],
    ['meetings', 2],
    ['agreement', 3],
    ['probation', 3],
  ] as [string, number][])('%s has %i syllables', (word, expected) => {
    expect(countSyllablesEn(word)).toBe(expected);
  });
});

describe('words and sentences', () => {
  it('keeps hyphenated words and apostrophes together and counts numbers as words', () => {
    expect(words("Stuur een e-mail over de auto's, 3 keer.")).toEqual(['Stuur', 'een', 'e-mail', 'over', 'de', "auto's", '3', 'keer']);
    expect(words('  ,.  ')).toEqual([]);
  });

  it('splits sentences at end marks followed by a capital, not after an abbreviation', () => {
    expect(sentences('Dit is bijv. een zin. Dit is er nog een! En nog één? ja')).toEqual([
      'Dit is bijv. een zin.',
      'Dit is er nog een!',
      'En nog één? ja',
    ]);
    expect(sentences('Geen eindteken')).toEqual(['Geen eindteken']);
    expect(sentences('')).toEqual([]);
  });
});

describe('Flesch-Douma and Leesindex A', () => {
  it('applies the formulas to the counted words, syllables and sentences', () => {
    // De(1) begeleider(4) luistert(2). Ik(1) praat(1).  → 5 words, 9 syllables, 2 sentences
    const text = 'De begeleider luistert. Ik praat.';
    const result = readabilityOf(text);
    expect(result).toMatchObject({ words: 5, syllables: 9, sentences: 2 });
    expect(result.fleschDouma).toBeCloseTo(206.84 - 77 * 1.8 - 0.93 * 2.5, 6); // 65.915
    expect(result.leesindexA).toBeCloseTo(195 - 66.67 * 1.8 - 2 * 2.5, 6); // 69.994
    expect(fleschDouma(text)).toBeCloseTo(65.915, 3);
    expect(leesindexA(text)).toBeCloseTo(69.994, 3);
  });

  it('scores a short plain sentence as very easy and a long officialese one as hard', () => {
    expect(fleschDouma('Ik ga naar huis.')).toBeCloseTo(206.84 - 77 - 0.93 * 4, 6); // 126.12
    expect(fleschDouma('De gemeentelijke schuldhulpverleningsorganisatie beoordeelt uw aanvraag inzake betalingsregelingen.')).toBeLessThan(
      0,
    );
  });

  it('returns NaN scores for a text without words', () => {
    const result = readabilityOf('  ');
    expect(result.words).toBe(0);
    expect(result.sentences).toBe(0);
    expect(result.fleschDouma).toBeNaN();
    expect(result.leesindexA).toBeNaN();
  });

  it('computes Flesch Reading Ease for English', () => {
    // I(1) go(1) home(1) → 3 words, 3 syllables, 1 sentence
    expect(englishReadabilityOf('I go home.').fleschReadingEase).toBeCloseTo(206.835 - 84.6 - 1.015 * 3, 6);
  });
});
