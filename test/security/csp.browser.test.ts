import type { Browser, Page } from 'playwright-core';
import type { RunningBot } from '../../composition/startBot';
import { artifactPath, launchBrowser } from '../helpers/browser';
import { seedRound } from '../helpers/seed';
import { startLocalBot } from './securityHarness';

/**
 * The pages still work under their strict Content-Security-Policy: Web Chat's injected styles carry
 * the response's nonce, and nothing on the chat page or the tab is blocked.
 */
describe('pages under a strict Content-Security-Policy', () => {
  let bot: RunningBot;
  let dataDir: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ bot, dataDir } = await startLocalBot());
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser.close();
    await bot.stop();
  });

  async function watchViolations(page: Page): Promise<string[]> {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation(
          `${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    });
    return violations;
  }

  it('shows the web chat with its styles and blocks nothing', async () => {
    const page = await browser.newPage();
    const violations = await watchViolations(page);
    await page.goto(`${bot.origin}/`);
    await page.getByRole('button', { name: 'Ik krijg begeleiding' }).last().waitFor({ timeout: 15000 });
    // Web Chat's own style elements are there (they would be blocked without the nonce).
    const styled = await page.evaluate(() => document.querySelectorAll('style[nonce], style[data-emotion]').length);
    expect(styled).toBeGreaterThan(0);
    await page.screenshot({ path: await artifactPath('security-webchat-csp.png') });
    expect(violations).toEqual([]);
    await page.close();
  }, 60000);

  it('shows the tab signed in with a personal link and blocks nothing', async () => {
    const { secret } = await seedRound(dataDir);
    const page = await browser.newPage();
    const violations = await watchViolations(page);
    await page.goto(`${bot.origin}/tab?pro=${secret}`);
    await page.getByText('K-12').first().waitFor({ timeout: 15000 });
    await page.screenshot({ path: await artifactPath('security-tab-csp.png') });
    expect(violations).toEqual([]);
    await page.close();
  }, 60000);
});
