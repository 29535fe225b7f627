import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { strings } from '../cards/strings';
import { RunningBot, startBot } from '../composition/startBot';
import { parseConfig } from '../config';
import type { Locale } from '../services/vocabulary';
import { artifactPath, launchBrowser } from './helpers/browser';
import { cardSays } from './helpers/chatRound';
import { actionsOf, cardOf, DirectLineTestClient } from './helpers/directLineClient';
import { defined } from './helpers/defined';
import { cardCount, layoutOfCards, waitForScrollToSettle } from './helpers/phoneCards';
import { seedProfessional } from './helpers/seed';

const PHONE = { width: 360, height: 740 };
const QUESTIONS = 8;

/** What the client types and taps, in each language: replies as a person who reads and writes poorly gives them. */
const WALK: Record<
  Locale,
  { yes: string; no: string; sometimes: string; dontKnow: string; unsure: string; comment: string; mostlyYes: RegExp; noButton: RegExp }
> = {
  nl: {
    yes: 'ja hoor',
    no: 'nee',
    sometimes: 'soms wel',
    dontKnow: 'weet ik niet',
    unsure: 'klopt niet helemaal',
    comment: 'meer tijd als ik wat vraag',
    mostlyYes: /Meestal wel$/,
    noButton: /\sNee$/,
  },
  en: {
    yes: 'yes sure',
    no: 'no',
    sometimes: 'sometimes',
    dontKnow: 'dunno',
    unsure: 'thats not totally right',
    comment: 'more time when i ask something',
    mostlyYes: /Mostly yes$/,
    noButton: /\sNo$/,
  },
};

/** Probation: the role word is "reclasseringswerker" / "probation officer" in every message of the round. */
async function createRound(origin: string, secret: string, locale: Locale): Promise<string> {
  const pro = await DirectLineTestClient.open(origin);
  await pro.waitForCard('chooseRole');
  await pro.send({ type: 'event', name: 'professionalSignIn', value: { secret, locale } });
  await pro.waitForCard('newRound', 'the professional menu');
  await pro.click({ verb: 'newRound' });
  await pro.waitForCard('createRound', 'the round form');
  const appointment = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
  await pro.click({ verb: 'createRound', clientLabel: 'K-7', domain: 'probation', form: 'short', appointmentDate: appointment });
  const invitation = await pro.waitFor(cardSays(/\?join=/), 'the invitation');
  const card = defined(cardOf(invitation), 'the invitation card');
  expect(actionsOf(card).some((action) => action.verb === 'answerOwnSide')).toBe(true);
  return decodeURIComponent(defined(/\?join=([^"\s&]+)/.exec(JSON.stringify(card)), 'the join link')[1]);
}

/**
 * Checks every bot card that arrived since `seen`, as the person is left looking at it: it shows
 * from its top, nothing runs off the side, no button label is cut. Saves one screenshot per step.
 */
class CardInspector {
  private seen = 0;
  private step = 0;

  constructor(
    private readonly page: Page,
    private readonly locale: Locale,
  ) {}

  /**
   * Reloads the page: the history comes back, counted as seen, and the person is where they were
   * (the newest card, from its top).
   */
  async reload(name: string): Promise<void> {
    await this.page.reload();
    const cards = this.page.locator('#webchat .ac-adaptiveCard');
    for (let waited = 0; (await cardCount(this.page)) < this.seen; waited += 50) {
      if (waited > 20000) throw new Error(`${this.locale} ${name}: the history did not come back`);
      await this.page.waitForTimeout(50);
    }
    await cards.last().waitFor();
    await waitForScrollToSettle(this.page);
    this.seen = await cardCount(this.page);
    this.step += 1;
    await this.page.screenshot({ path: await this.screenshotPath(name) });
    const [newest] = await layoutOfCards(this.page, this.seen - 1);
    const where = `${this.locale} ${name}: card "${newest.firstText}"`;
    expect({ where, top: newest.topInView >= -1 && newest.topInView < newest.viewHeight - 48 }).toEqual({ where, top: true });
  }

  /** Does `act`, waits until the newest card matches `expected`, and checks every card that came. */
  async next(name: string, expected: RegExp, act: () => Promise<void>, options: { overview?: boolean } = {}): Promise<void> {
    const before = this.seen;
    await act();
    const newest = this.page.locator('#webchat .ac-adaptiveCard').last();
    for (let waited = 0; ; waited += 50) {
      if ((await cardCount(this.page)) > before && expected.test(((await newest.textContent()) ?? '').trim())) break;
      if (waited > 15000)
        throw new Error(`${this.locale} ${name}: no new card matching ${expected} (newest: ${await newest.textContent()})`);
      await this.page.waitForTimeout(50);
    }
    await waitForScrollToSettle(this.page);
    const arrived = await layoutOfCards(this.page, before);
    this.seen = before + arrived.length;
    this.step += 1;
    await this.page.screenshot({ path: await this.screenshotPath(name) });
    for (const card of arrived) {
      const where = `${this.locale} ${name}: card "${card.firstText}"`;
      expect({ where, top: card.topInView >= -1 && card.topInView < card.viewHeight - 48 }).toEqual({ where, top: true });
      expect({ where, overflowing: card.overflowing }).toEqual({ where, overflowing: [] });
      expect({ where, truncatedButtons: card.truncatedButtons }).toEqual({ where, truncatedButtons: [] });
      expect({ where, smallTargets: card.smallTargets }).toEqual({ where, smallTargets: [] });
    }
    if (options.overview) {
      const overview = arrived[arrived.length - 1];
      expect({ overviewHeight: overview.height <= 2 * PHONE.height }).toEqual({ overviewHeight: true });
      // The chat scrolls inside the page: a screen as tall as the card shows it whole, as scrolling would.
      await this.page.setViewportSize({ width: PHONE.width, height: Math.ceil(overview.height) + 200 });
      await this.page
        .locator('#webchat .ac-adaptiveCard')
        .last()
        .screenshot({ path: await this.screenshotPath(`${name}-whole-card`) });
      await this.page.setViewportSize(PHONE);
      await waitForScrollToSettle(this.page);
    }
  }

  private async screenshotPath(name: string): Promise<string> {
    const file = await artifactPath(path.join('phone-walk', this.locale, `${String(this.step).padStart(2, '0')}-${name}.png`));
    await fs.mkdir(path.dirname(file), { recursive: true });
    return file;
  }
}

/** The newest button with this label (older cards keep theirs). */
function button(page: Page, name: RegExp | string): Locator {
  return page.getByRole('button', { name }).last();
}

async function type(page: Page, text: string): Promise<void> {
  const sendBox = page.getByRole('textbox').last();
  await sendBox.fill(text);
  await sendBox.press('Enter');
}

/** A button label: the words, maybe after an icon ("← Terug"). */
function exactly(text: string): RegExp {
  return new RegExp(`(^|\\s)${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * A whole client round on a 360×740 phone through the real page and server, as a client who reads
 * poorly would do it: taps, five typed answers, a comment, going back, "later", a reload, going on,
 * and the sharing choice. Every card that arrives is checked where the person sees it.
 */
describe.each<Locale>(['nl', 'en'])('a client round on a phone (%s)', (locale) => {
  let bot: RunningBot;
  let browser: Browser;
  let dataDir: string;
  const s = strings(locale);
  const w = WALK[locale];
  const roleWord = locale === 'nl' ? 'reclasseringswerker' : 'probation officer';
  const question = (n: number): RegExp => new RegExp(`^${s.questionOf(n, QUESTIONS)}`);

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `bot-phone-walk-${locale}-`));
    bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('every card shows from its top, nothing is cut off, the overview fits two screens', async () => {
    const { secret } = await seedProfessional(dataDir);
    const linkToken = await createRound(bot.origin, secret, locale);
    const page = await browser.newPage({ viewport: PHONE, locale: locale === 'nl' ? 'nl-NL' : 'en-GB' });
    const cards = new CardInspector(page, locale);
    const link = `${bot.origin}/?${locale === 'en' ? 'lang=en&' : ''}join=${encodeURIComponent(linkToken)}`;

    await cards.next('joined', new RegExp(s.settingsTitle), () => page.goto(link).then(() => undefined));
    expect(await page.getByText(s.roleQuestion).count()).toBe(0);
    await cards.next('explanation', new RegExp(s.introTitle), () => button(page, exactly(s.settingsDone)).click());
    await cards.next('question-1', question(1), () => button(page, exactly(s.start)).click());
    await cards.next('tapped', question(2), () => button(page, w.mostlyYes).click());
    // The echo of a tap comes in the same message as the next question, shown above it.
    const echo = page.locator('#webchat .webchat__bubble__content').getByText(new RegExp(`^${s.youAnswered('')}.*${w.mostlyYes.source}`));
    expect(await echo.count()).toBe(1);
    await echo.scrollIntoViewIfNeeded();
    expect(await echo.isVisible()).toBe(true);
    await page.screenshot({ path: await artifactPath(path.join('phone-walk', locale, '04b-tapped-echo-above-the-question.png')) });

    // Typed answers, as they come.
    await cards.next('typed-yes', question(3), () => type(page, w.yes));
    await cards.next('typed-no-asks-what-helps', new RegExp(s.followUpQuestion), () => type(page, w.no));
    await cards.next('comment-saved', question(4), () => type(page, w.comment));
    expect(await page.getByText(s.commentSaved).count()).toBeGreaterThan(0);
    await cards.next('typed-sometimes', question(5), () => type(page, w.sometimes));
    await cards.next('typed-dont-know', question(6), () => type(page, w.dontKnow));
    expect(await page.getByText(s.youSkipped).count()).toBeGreaterThan(0);
    // "klopt niet helemaal" could be a remark about the question: the bot asks which; an answer is then tapped.
    await cards.next('typed-unsure-asks-answer-or-comment', new RegExp(s.answerOrComment.slice(0, 20)), () => type(page, w.unsure));
    await cards.next('pick-with-a-button', question(6), () => button(page, exactly(s.itIsMyAnswer)).click());
    expect(await page.getByText(s.pickAnswerWithButton).count()).toBeGreaterThan(0);
    await cards.next('confirmed', question(7), () => button(page, w.mostlyYes).click());

    // Back to question 6, answered again with a tap.
    await cards.next('back', question(6), () => button(page, exactly(s.back)).click());
    await cards.next('answered-again', question(7), () => button(page, w.mostlyYes).click());

    // Later: the pause card, a reload, and on again.
    await cards.next('paused', new RegExp(s.resume), () => button(page, exactly(s.pause)).click());
    await cards.reload('reloaded');
    if (locale === 'nl') {
      await cards.next('resumed', question(7), () => button(page, exactly(s.resume)).click());
      await cards.next('question-8', question(8), () => button(page, w.noButton).click());
    } else {
      // The paused question's own card, tapped where it is: it goes on there.
      await cards.next('question-8', question(8), () => button(page, w.noButton).click());
    }
    // The last two questions are about friction: "no" is the good answer there.
    await cards.next('overview', new RegExp(s.overviewTitle), () => button(page, w.noButton).click(), { overview: true });

    // Sharing, with the round's role word.
    const share = s.sendWithComments(roleWord);
    const overview = page.locator('#webchat .ac-adaptiveCard').last();
    expect(await overview.locator('.ac-pushButton', { hasText: exactly(share) }).count()).toBe(1);
    expect(await overview.locator('.ac-pushButton', { hasText: exactly(s.sendWithoutComments) }).count()).toBe(1);
    await cards.next('sent', new RegExp(s.thanksTitle), () => button(page, exactly(share)).click());
    expect(await page.getByText(/Versturen mislukt|Versturen lukte niet|could not send/i).count()).toBe(0);
    await page.close();
  }, 90000);
});
