import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { strings } from '../cards/strings';
import { RunningBot, startBot } from '../composition/startBot';
import { parseConfig } from '../config';
import { artifactPath, launchBrowser } from './helpers/browser';
import { seedRound } from './helpers/seed';

/** Records what the page asks the browser to speak (the words and the language). */
const SPEECH_RECORDER = `
  window.__spoken = [];
  if (window.speechSynthesis) {
    window.speechSynthesis.speak = (utterance) => { window.__spoken.push({ text: utterance.text, lang: utterance.lang }); };
  }
`;

interface PageLanguage {
  htmlLang: string;
  readAloud: string;
  readAloudHelp: string;
  placeholder: string;
}

async function pageLanguage(page: Page): Promise<PageLanguage> {
  return page.evaluate(() => ({
    htmlLang: document.documentElement.lang,
    readAloud: document.querySelector('#read-aloud')?.getAttribute('aria-label') ?? '',
    readAloudHelp: document.querySelector('#read-aloud-help')?.textContent ?? '',
    placeholder: document.querySelector('#webchat input[type="text"], #webchat textarea')?.getAttribute('placeholder') ?? '',
  }));
}

const ENGLISH_PAGE: PageLanguage = {
  htmlLang: 'en',
  readAloud: 'Read aloud',
  readAloudHelp: 'Reads the newest question and its answers aloud.',
  placeholder: 'Type your message',
};
const DUTCH_PAGE: PageLanguage = {
  htmlLang: 'nl',
  readAloud: 'Lees voor',
  readAloudHelp: 'Leest de laatste vraag en de antwoorden hardop voor.',
  placeholder: 'Typ je bericht',
};

/** Waits until the page's own texts are `expected` (the page follows the bot's cards a moment later). */
async function expectPageLanguage(page: Page, expected: PageLanguage): Promise<void> {
  for (let waited = 0; waited < 5000; waited += 100) {
    if (JSON.stringify(await pageLanguage(page)) === JSON.stringify(expected)) return;
    await page.waitForTimeout(100);
  }
  expect(await pageLanguage(page)).toEqual(expected);
}

/** Nobody whose link says who they are is asked who they are (in either language). */
async function expectNoRoleQuestion(page: Page): Promise<void> {
  expect(await page.getByText(strings('nl').roleQuestion).count()).toBe(0);
  expect(await page.getByText(strings('en').roleQuestion).count()).toBe(0);
}

/**
 * One language for the bot and the page: `?lang=`, the settings card and the last visit's choice set
 * the bot's words, `<html lang>`, the read-aloud button and its voice, and Web Chat's own strings.
 */
describe('language of the bot and the page', () => {
  let bot: RunningBot;
  let browser: Browser;
  let dataDir: string;
  let context: BrowserContext;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-language-'));
    bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    browser = await launchBrowser();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    await context.addInitScript(SPEECH_RECORDER);
  });

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('?lang=en with a join link: an English bot and page, read aloud in English, never "who are you?"', async () => {
    const { linkToken } = await seedRound(dataDir);
    const page = await context.newPage();
    await page.goto(`${bot.origin}/?lang=en&join=${encodeURIComponent(linkToken)}`);
    const en = strings('en');
    await page.getByText(en.settingsTitle).last().waitFor({ timeout: 20000 });
    await expectPageLanguage(page, ENGLISH_PAGE);
    await page.getByRole('button', { name: en.settingsDone }).last().click();
    await page.getByRole('button', { name: en.start }).last().click();
    await page.getByText(en.questionOf(1, 8)).last().waitFor({ timeout: 15000 });
    await page.getByRole('button', { name: ENGLISH_PAGE.readAloud }).click();
    const spoken = await page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken);
    expect(spoken.map((s) => s.lang)).toEqual(['en-US']);
    expect(spoken[0].text).toContain(en.questionOf(1, 8));
    await expectNoRoleQuestion(page);
    await page.screenshot({ path: await artifactPath('language-client-en.png') });
  }, 60000);

  it('?lang=en with a personal link: the professional gets English too, and is not asked who they are', async () => {
    const { secret } = await seedRound(dataDir);
    const page = await context.newPage();
    await page.goto(`${bot.origin}/?lang=en&pro=${encodeURIComponent(secret)}`);
    await page.getByRole('button', { name: 'My rounds' }).last().waitFor({ timeout: 20000 });
    await expectPageLanguage(page, ENGLISH_PAGE);
    await expectNoRoleQuestion(page);
    await page.screenshot({ path: await artifactPath('language-professional-en.png') });
  }, 60000);

  it('a Dutch personal link is not asked who they are either', async () => {
    const { secret } = await seedRound(dataDir);
    const page = await context.newPage();
    await page.goto(`${bot.origin}/?pro=${encodeURIComponent(secret)}`);
    await page.getByRole('button', { name: 'Mijn rondes' }).last().waitFor({ timeout: 20000 });
    await expectPageLanguage(page, DUTCH_PAGE);
    await page.waitForTimeout(500);
    await expectNoRoleQuestion(page);
  }, 60000);

  it('English chosen on the settings card switches the page, and is kept for the next visit', async () => {
    const { linkToken } = await seedRound(dataDir);
    const page = await context.newPage();
    await page.goto(`${bot.origin}/?join=${encodeURIComponent(linkToken)}`);
    const nl = strings('nl');
    await page.getByText(nl.settingsTitle).last().waitFor({ timeout: 20000 });
    await expectPageLanguage(page, DUTCH_PAGE);
    await page.getByRole('button', { name: nl.languageEnglish }).last().click();
    await page.getByText(strings('en').settingsTitle).last().waitFor({ timeout: 15000 });
    await expectPageLanguage(page, ENGLISH_PAGE);
    await expectNoRoleQuestion(page);

    // The next visit, without any link: English from the start.
    const again = await context.newPage();
    await again.goto(`${bot.origin}/`);
    await again.locator('#webchat .ac-adaptiveCard').last().waitFor({ timeout: 20000 });
    await expectPageLanguage(again, ENGLISH_PAGE);
    await again.screenshot({ path: await artifactPath('language-next-visit-en.png') });
  }, 60000);
});
