import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_ITEM_BANK_PATH, ItemBank, ItemBankError, loadItemBank, parseItemBank } from '../services/questionnaire/itemBank';
import { readabilityOf, sentences, words } from '../services/questionnaire/readability';
import { DIMENSIONS, Domain, DOMAINS, FORMS, LOCALES, PERSPECTIVES, REGISTERS } from '../services/vocabulary';

/** The parts of the file format the broken-file tests change. */
interface ItemJson {
  id: string;
  perspective: string;
  dimension: string;
  reverse: boolean;
  twin: string;
  texts: Record<string, Record<string, string | undefined>>;
}
interface BankJson {
  schemaVersion: number;
  items: ItemJson[];
  forms: Record<string, Record<string, string[]>>;
  domains: Record<string, { role: Record<string, string>; texts?: Record<string, unknown> }>;
  [key: string]: unknown;
}

const SOURCE = 'content/x.json';
const shippedJson = (): BankJson => JSON.parse(fs.readFileSync(DEFAULT_ITEM_BANK_PATH, 'utf8')) as BankJson;
const itemIn = (bank: BankJson, id: string): ItemJson => {
  const item = bank.items.find((candidate) => candidate.id === id);
  if (!item) throw new Error(`test setup: no item ${id}`);
  return item;
};

/** Parses the shipped file after `change`, and returns the error it throws. */
function errorFor(change: (bank: BankJson) => void): ItemBankError {
  const json = shippedJson();
  change(json);
  try {
    parseItemBank(json, SOURCE);
  } catch (error) {
    if (error instanceof ItemBankError) return error;
    throw error;
  }
  throw new Error('expected an ItemBankError, but the file was accepted');
}

const bank: ItemBank = loadItemBank(DEFAULT_ITEM_BANK_PATH);
const allDomains: (Domain | null)[] = [null, ...DOMAINS];

describe('the shipped item bank', () => {
  it('is found at an absolute path and parses', () => {
    expect(path.isAbsolute(DEFAULT_ITEM_BANK_PATH)).toBe(true);
    expect(bank.id).toBe('alliance-monitor-open');
    expect(bank.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(bank.questionnaireId('short')).toBe('alliance-monitor-open/short');
    expect(bank.title('nl')).not.toBe(bank.title('en'));
  });

  it.each(PERSPECTIVES)('has 19 ordered %s items in the full form (5/4/5/5) and 2 per dimension in the short form', (perspective) => {
    const full = bank.items('full', perspective);
    expect(full).toHaveLength(19);
    expect(full.every((item) => item.perspective === perspective)).toBe(true);
    expect(full[0].id).toBe(`${perspective === 'client' ? 'c' : 'p'}-direction-1`);
    const count = (dimension: string, items = full): number => items.filter((item) => item.dimension === dimension).length;
    expect(DIMENSIONS.map((dimension) => count(dimension))).toEqual([5, 4, 5, 5]);

    const short = bank.items('short', perspective);
    expect(short).toHaveLength(8);
    expect(DIMENSIONS.map((dimension) => count(dimension, short))).toEqual([2, 2, 2, 2]);
    const fullIds = new Set(full.map((item) => item.id));
    expect(short.every((item) => fullIds.has(item.id))).toBe(true);
  });

  it('mirrors every client item with a professional twin on the same dimension and direction', () => {
    for (const form of FORMS) {
      const professionalIds = bank.items(form, 'professional').map((item) => item.id);
      for (const item of bank.items(form, 'client')) {
        const twin = bank.twinOf(item.id);
        expect(twin).toBeDefined();
        expect(twin?.perspective).toBe('professional');
        expect(twin?.dimension).toBe(item.dimension);
        expect(twin?.reverse).toBe(item.reverse);
        expect(bank.twinOf(twin?.id ?? '')?.id).toBe(item.id);
        expect(professionalIds).toContain(twin?.id);
      }
    }
  });

  it('marks exactly the friction items as reverse (negatively worded)', () => {
    for (const perspective of PERSPECTIVES) {
      for (const item of bank.items('full', perspective)) expect(item.reverse).toBe(item.dimension === 'friction');
    }
    expect(bank.dimensionIsReverse('friction')).toBe(true);
    expect(bank.dimensionIsReverse('trust')).toBe(false);
    expect(bank.dimensionLabel('friction', 'nl')).toBe('Stroefheid');
    expect(bank.dimensionLabel('direction', 'en')).toBe('Goals and conditions');
  });

  it('answers unknown ids with undefined', () => {
    expect(bank.item('nope')).toBeUndefined();
    expect(bank.twinOf('nope')).toBeUndefined();
    expect(() => bank.questionText('nope', { register: 'simple', locale: 'nl', domain: null })).toThrow('nope');
  });

  it('has a five-point scale from no to yes, with faces only in the simple register', () => {
    const simple = bank.scale('simple', 'nl');
    expect(simple.map((point) => point.value)).toEqual([1, 2, 3, 4, 5]);
    expect(simple[0].label).toBe('Nee');
    expect(simple[4].label).toBe('Ja');
    expect(new Set(simple.map((point) => point.face)).size).toBe(5);
    expect(simple.every((point) => typeof point.face === 'string' && point.face.length > 0)).toBe(true);
    for (const locale of LOCALES) {
      const standard = bank.scale('standard', locale);
      expect(standard.every((point) => point.face === null && point.label.length > 0)).toBe(true);
      expect(new Set(standard.map((point) => point.label)).size).toBe(5);
    }
    expect(bank.scale('standard', 'en')[0].label).toBe('Not at all true');
  });

  it('turns the faces around for reverse items only', () => {
    const faces = bank.scale('simple', 'en').map((point) => point.face);
    const friction = bank.scaleForItem('c-friction-1', 'simple', 'en');
    expect(friction.map((point) => point.face)).toEqual([...faces].reverse());
    expect(friction.map((point) => point.label)).toEqual(bank.scale('simple', 'en').map((point) => point.label));
    expect(bank.scaleForItem('c-trust-1', 'simple', 'en').map((point) => point.face)).toEqual(faces);
    expect(bank.scaleForItem('c-friction-1', 'standard', 'en').every((point) => point.face === null)).toBe(true);
  });

  it('names the professional with the domain role word, or the default', () => {
    expect(bank.roleWord(null, 'nl')).toBe('begeleider');
    expect(bank.roleWord(null, 'en')).toBe('support worker');
    expect(bank.roleWord('probation', 'nl')).toBe('reclasseringswerker');
    expect(bank.roleWord('debtHelp', 'en')).toBe('debt counsellor');
    for (const domain of DOMAINS) for (const locale of LOCALES) expect(bank.roleWord(domain, locale).length).toBeGreaterThan(0);
  });

  it('fills in the role word and applies domain overrides', () => {
    const options = { register: 'simple', locale: 'nl' } as const;
    expect(bank.questionText('c-trust-2', { ...options, domain: null })).toContain('je begeleider');
    expect(bank.questionText('c-trust-2', { ...options, domain: 'workAndIncome' })).toContain('je klantmanager');
    expect(bank.questionText('c-trust-2', { ...options, locale: 'en', domain: 'probation' })).toContain('your probation officer');

    const plain = bank.questionText('c-direction-2', { ...options, domain: null });
    expect(bank.questionText('c-direction-2', { ...options, domain: 'debtHelp' })).toMatch(/afspraken over je geld/);
    expect(bank.questionText('c-direction-2', { ...options, domain: 'shelter' })).toMatch(/afspraken in de opvang/);
    expect(bank.questionText('c-direction-2', { ...options, domain: 'workAndIncome' })).toBe(plain);
    // Only the register and locale that are overridden change.
    expect(bank.questionText('c-direction-2', { register: 'standard', locale: 'en', domain: 'debtHelp' })).toMatch(/money/);
  });

  it('yields a complete, filled-in text for every perspective, register, locale and domain', () => {
    const seen = new Set<string>();
    for (const perspective of PERSPECTIVES) {
      for (const item of bank.items('full', perspective)) {
        for (const register of REGISTERS) {
          for (const locale of LOCALES) {
            for (const domain of allDomains) {
              const text = bank.questionText(item.id, { register, locale, domain });
              expect(text.trim().length).toBeGreaterThan(0);
              expect(text).not.toMatch(/[{}]/);
              if (domain === null) seen.add(`${register}/${locale}/${text}`);
            }
          }
        }
      }
    }
    // No copy-paste duplicates: each item reads differently in each register and locale.
    expect(seen.size).toBe(2 * 19 * REGISTERS.length * LOCALES.length);
  });

  it('keeps client and professional wording distinct (the professional rates their own side)', () => {
    for (const item of bank.items('full', 'client')) {
      for (const register of REGISTERS) {
        const options = { register, locale: 'nl', domain: null } as const;
        expect(bank.questionText(item.twinId, options)).not.toBe(bank.questionText(item.id, options));
        expect(bank.questionText(item.twinId, options)).toMatch(/cliënt/);
      }
    }
  });
});

describe('readability of the shipped wording', () => {
  const texts = (register: 'simple' | 'standard', locale: 'nl' | 'en', domain: Domain | null): { id: string; text: string }[] =>
    PERSPECTIVES.flatMap((perspective) =>
      bank.items('full', perspective).map((item) => ({ id: item.id, text: bank.questionText(item.id, { register, locale, domain }) })),
    );

  it.each(allDomains)('simple Dutch (domain %s): each item at most 12 words and Flesch-Douma >= 60, mean >= 80', (domain) => {
    const scores = texts('simple', 'nl', domain).map(({ id, text }) => {
      const result = readabilityOf(text);
      expect({ id, words: result.words, ok: result.words <= 12 }).toEqual({ id, words: result.words, ok: true });
      expect({ id, fleschDouma: result.fleschDouma, ok: result.fleschDouma >= 60 }).toMatchObject({ id, ok: true });
      return result.fleschDouma;
    });
    expect(scores).toHaveLength(38);
    expect(scores.reduce((sum, score) => sum + score, 0) / scores.length).toBeGreaterThanOrEqual(80);
  });

  it.each(LOCALES)('simple %s: one sentence of at most 12 words, addressing the reader directly, without subordinate clauses', (locale) => {
    const you = locale === 'nl' ? /\b(je|jij|jou|jouw)\b/i : /\b(you|your)\b/i;
    const subordinators =
      locale === 'nl'
        ? /\b(dat|omdat|doordat|zodat|wanneer|waarom|waar|waarop|waaraan|wat|wie|die|hoe|terwijl|nadat|voordat|totdat|zodra|indien|hoewel|welke|welk)\b/i
        : /\b(that|because|when|why|where|what|who|whom|which|how|if|while|whether|since|although|unless)\b/i;
    for (const domain of allDomains) {
      for (const { id, text } of texts('simple', locale, domain)) {
        expect({ id, text, sentences: sentences(text).length }).toEqual({ id, text, sentences: 1 });
        expect({ id, text, tooLong: words(text).length > 12 }).toEqual({ id, text, tooLong: false });
        expect({ id, text, addressesReader: you.test(text) }).toEqual({ id, text, addressesReader: true });
        expect({ id, text, subordinator: text.match(subordinators)?.[0] ?? null }).toEqual({ id, text, subordinator: null });
      }
    }
  });

  it.each(LOCALES)('standard %s: one sentence of at most 20 words', (locale) => {
    for (const domain of allDomains) {
      for (const { id, text } of texts('standard', locale, domain)) {
        expect({ id, text, sentences: sentences(text).length }).toEqual({ id, text, sentences: 1 });
        expect({ id, text, tooLong: words(text).length > 20 }).toEqual({ id, text, tooLong: false });
      }
    }
  });
});

describe('validation of item bank files', () => {
  it('accepts the shipped file as parsed JSON under any source name', () => {
    expect(parseItemBank(shippedJson(), SOURCE).items('full', 'client')).toHaveLength(19);
  });

  it('names the file, the item and the field of a missing text', () => {
    const error = errorFor((json) => {
      delete itemIn(json, 'c-trust-2').texts.simple.nl;
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ITEM_BANK_INVALID');
    expect(error.message).toBe('content/x.json: item "c-trust-2": texts.simple.nl is missing');
  });

  it('refuses an empty text', () => {
    const error = errorFor((json) => {
      itemIn(json, 'p-bond-3').texts.standard.en = '   ';
    });
    expect(error.message).toBe('content/x.json: item "p-bond-3": texts.standard.en is empty');
  });

  it('refuses an unknown dimension', () => {
    const error = errorFor((json) => {
      itemIn(json, 'c-bond-1').dimension = 'warmth';
    });
    expect(error.message).toMatch(/^content\/x\.json: item "c-bond-1": dimension must be .*"friction".* \(got "warmth"\)$/);
  });

  it('refuses a twin that does not point back', () => {
    const error = errorFor((json) => {
      itemIn(json, 'c-trust-1').twin = 'p-trust-2';
    });
    expect(error.message).toContain('content/x.json: item "c-trust-1": twin "p-trust-2" names "c-trust-2" as its twin');
    expect(error.problems.length).toBeGreaterThan(1);
  });

  it('refuses a twin that does not exist', () => {
    const error = errorFor((json) => {
      itemIn(json, 'p-bond-5').twin = 'c-bond-9';
    });
    expect(error.problems).toContain('item "p-bond-5": twin "c-bond-9" does not exist');
  });

  it('refuses mutual twins on different dimensions', () => {
    const error = errorFor((json) => {
      itemIn(json, 'c-trust-1').twin = 'p-bond-1';
      itemIn(json, 'p-bond-1').twin = 'c-trust-1';
      itemIn(json, 'c-bond-1').twin = 'p-trust-1';
      itemIn(json, 'p-trust-1').twin = 'c-bond-1';
    });
    expect(error.problems).toContain('item "c-trust-1": twin "p-bond-1" has dimension "bond", not "trust"');
  });

  it('refuses twins with a different reverse flag', () => {
    const error = errorFor((json) => {
      itemIn(json, 'p-friction-1').reverse = false;
    });
    expect(error.problems).toContain('item "c-friction-1": twin "p-friction-1" has reverse false, not true');
  });

  it('refuses a short form without 2 items per dimension', () => {
    const error = errorFor((json) => {
      json.forms.short.client = json.forms.short.client.filter((id) => id !== 'c-friction-3');
      json.forms.short.professional = json.forms.short.professional.filter((id) => id !== 'p-friction-3');
    });
    expect(error.message).toBe('content/x.json: forms.short.client: needs 2 items of dimension "friction" (got 1) (and 1 more problem)');
  });

  it('refuses a full form of the wrong size', () => {
    const error = errorFor((json) => {
      json.forms.full.professional.pop();
    });
    expect(error.problems).toContain('forms.full.professional: needs 19 items (got 18)');
  });

  it('refuses a form id that does not exist or belongs to the other perspective', () => {
    const error = errorFor((json) => {
      json.forms.full.client[0] = 'c-nope';
      json.forms.short.client[1] = 'p-direction-4';
    });
    expect(error.problems).toContain('forms.full.client: item "c-nope" does not exist');
    expect(error.problems).toContain('forms.short.client: item "p-direction-4" is a professional item');
  });

  it('refuses duplicate item ids', () => {
    const error = errorFor((json) => {
      itemIn(json, 'c-bond-2').id = 'c-bond-1';
    });
    expect(error.problems).toContain('item "c-bond-1": id is used more than once');
  });

  it('refuses an unknown domain, an override of an unknown item and a misspelt placeholder', () => {
    expect(
      errorFor((json) => {
        json.domains.prison = { role: { nl: 'bewaarder', en: 'guard' } };
      }).message,
    ).toMatch(/^content\/x\.json: domains/);
    expect(
      errorFor((json) => {
        json.domains.shelter.texts = { 'c-nope': { simple: { nl: 'Gaat het?' } } };
      }).problems,
    ).toContain('domain "shelter": item "c-nope" does not exist');
    expect(
      errorFor((json) => {
        itemIn(json, 'c-bond-4').texts.standard.nl = 'Mijn {rol} moedigt mij aan.';
      }).problems,
    ).toContain('item "c-bond-4": texts.standard.nl has a "{" that is not part of {role}');
  });

  it('names the field of a wrong schema version and of unknown fields', () => {
    expect(errorFor((json) => (json.schemaVersion = 2)).message).toBe('content/x.json: schemaVersion must be 1 (got 2)');
    expect(
      errorFor((json) => {
        (itemIn(json, 'c-trust-3') as ItemJson & { text?: string }).text = 'typo';
      }).message,
    ).toBe('content/x.json: item "c-trust-3": unknown field "text"');
  });

  it('refuses something that is not an item bank at all', () => {
    expect(() => parseItemBank([], SOURCE)).toThrow(ItemBankError);
    expect(() => parseItemBank(null, SOURCE)).toThrow(/^content\/x\.json: /);
  });
});

describe('loadItemBank', () => {
  it('reports a JSON syntax error as an ItemBankError naming the file', () => {
    const file = path.join(__dirname, 'fixtures', 'itemBank', 'syntax-error.json');
    expect(() => loadItemBank(file)).toThrow(ItemBankError);
    try {
      loadItemBank(file);
    } catch (error) {
      expect(error).toBeInstanceOf(ItemBankError);
      if (error instanceof ItemBankError) {
        expect(error.code).toBe('ITEM_BANK_SYNTAX');
        expect(error.message.startsWith(`${file}: is not valid JSON`)).toBe(true);
      }
    }
  });

  it('reports a missing file as an ItemBankError naming the file', () => {
    const file = path.join(os.tmpdir(), `no-such-bank-${process.pid}.json`);
    expect(() => loadItemBank(file)).toThrow(
      expect.objectContaining({ code: 'ITEM_BANK_UNREADABLE', message: expect.stringContaining(file) }),
    );
  });

  it('names the file in validation errors too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'item-bank-'));
    const file = path.join(dir, 'bank.json');
    const json = shippedJson();
    delete itemIn(json, 'p-friction-2').texts.simple.en;
    fs.writeFileSync(file, JSON.stringify(json));
    try {
      expect(() => loadItemBank(file)).toThrow(`${file}: item "p-friction-2": texts.simple.en is missing`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
