/**
 * How long a client on a phone waits: the time from a tap (or Enter after typing) in the real web
 * page until the next card is on screen with its top in view, over a whole client round (19
 * questions, a few of them typed, then the overview and sending), for Web Chat's WebSocket stream
 * and for its polling fallback. Headless Chromium at 360×740 against the real server (local mode).
 * Prints p50/p95 per transport, asserts nothing. Run: `npm run bench:phone` (`RUNS=3` for more rounds).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startBot } from '../composition/startBot';
import { parseConfig } from '../config';
import { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import { RoundService } from '../services/rounds/roundService';
import { FileProfessionalRepository } from '../storage/fileProfessionalRepository';
import { FileRoundRepository } from '../storage/fileRoundRepository';
import { JsonFileStore } from '../storage/jsonFileStore';
import { launchBrowser } from '../scripts/local/localMachine';

const RUNS = Number(process.env.RUNS ?? 1);
const QUESTIONS = 19;
/** Questions answered by typing (1-based); the rest by tapping. */
const TYPED = new Set([2, 5, 9, 13, 17]);

/** A round made as `npm run admin` and the professional's "nieuwe monitor" would make it; returns the join token. */
async function seedRound(dataDir: string): Promise<string> {
  const store = new JsonFileStore(path.join(dataDir, 'records'));
  const directory = new ProfessionalDirectory(new FileProfessionalRepository(store), () => new Date(), randomUUID, randomBytes);
  const { professional } = await directory.addWithAccessLink('Bench');
  const rounds = new RoundService({
    rounds: new FileRoundRepository(store),
    now: () => new Date(),
    newId: randomUUID,
    random: randomBytes,
    invitationTtlDays: 14,
  });
  const appointment = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
  const created = await rounds.create({
    professionalId: professional.id,
    clientLabel: 'B-1',
    domain: 'debtHelp',
    form: 'full',
    appointmentDate: appointment,
  });
  return created.linkToken;
}

/**
 * Arms a watcher in the page, then does `act`: the watcher takes the time of the tap or Enter
 * (capture phase, before Web Chat sees it) and of the first frame in which a new card's top is in view.
 */
interface Wait {
  /** Tap or Enter until the card is in the page's store (network, server, bot turn). */
  arrived: number;
  /** Tap or Enter until the card's top is in view (then also rendered and scrolled). */
  visible: number;
}

async function timeToNextCard(page: Page, act: () => Promise<void>): Promise<Wait> {
  await page.evaluate(() => {
    const w = window as unknown as {
      __waited?: Promise<Wait>;
      allianceMonitor: {
        store: {
          getState: () => { activities: { from?: { role?: string }; attachments?: unknown[] }[] };
          subscribe: (f: () => void) => () => void;
        };
      };
    };
    const store = w.allianceMonitor.store;
    const botCards = (): number =>
      store.getState().activities.filter((a) => a.from?.role === 'bot' && (a.attachments?.length ?? 0) > 0).length;
    const cardsInStore = botCards();
    let arrivedAt = 0;
    const unsubscribe = store.subscribe(() => {
      if (arrivedAt === 0 && botCards() > cardsInStore) {
        arrivedAt = performance.now();
        unsubscribe();
      }
    });
    const cards = (): Element[] =>
      Array.from(document.querySelectorAll('#webchat .ac-adaptiveCard')).filter((card) => !card.parentElement?.closest('.ac-adaptiveCard'));
    const before = cards().length;
    w.__waited = new Promise<Wait>((resolve) => {
      let started = 0;
      const start = (event: Event): void => {
        if (event instanceof KeyboardEvent && event.key !== 'Enter') return;
        started = performance.now();
        document.removeEventListener('click', start, true);
        document.removeEventListener('keydown', start, true);
        requestAnimationFrame(check);
      };
      const check = (): void => {
        const all = cards();
        const scroller = document.querySelector('#webchat .webchat__basic-transcript__scrollable');
        if (all.length > before && scroller) {
          const view = scroller.getBoundingClientRect();
          const top = all[all.length - 1].getBoundingClientRect().top;
          if (top >= view.top - 1 && top < view.bottom - 48) {
            const now = performance.now();
            return resolve({ arrived: (arrivedAt || now) - started, visible: now - started });
          }
        }
        requestAnimationFrame(check);
      };
      document.addEventListener('click', start, true);
      document.addEventListener('keydown', start, true);
    });
  });
  await act();
  return page.evaluate(() => (window as unknown as { __waited: Promise<Wait> }).__waited);
}

async function playRound(page: Page, origin: string, linkToken: string, transport: string): Promise<Wait[]> {
  const times: Wait[] = [];
  await page.goto(`${origin}/?join=${encodeURIComponent(linkToken)}${transport === 'polling' ? '&transport=polling' : ''}`);
  const tap = (name: RegExp) => () => page.getByRole('button', { name }).last().click();
  await page
    .getByRole('button', { name: /Klaar$/ })
    .last()
    .waitFor({ timeout: 20000 });
  times.push(await timeToNextCard(page, tap(/Klaar$/)));
  times.push(await timeToNextCard(page, tap(/Beginnen$/)));
  for (let number = 1; number <= QUESTIONS; number += 1) {
    await page
      .getByText(new RegExp(`^Vraag ${number} van ${QUESTIONS}$`))
      .last()
      .waitFor({ timeout: 20000 });
    // "Soms" is never a low answer, so no "Wat zou helpen?" comes in between.
    if (TYPED.has(number)) {
      const box = page.getByRole('textbox').last();
      await box.fill('soms wel');
      times.push(await timeToNextCard(page, () => box.press('Enter')));
    } else {
      times.push(await timeToNextCard(page, tap(/Soms$/)));
    }
  }
  await page
    .getByText(/^Je antwoorden$/)
    .last()
    .waitFor({ timeout: 20000 });
  times.push(await timeToNextCard(page, tap(/^Versturen$/)));
  return times;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-click-to-card-'));
  const bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  const browser = await launchBrowser();
  try {
    const results: { transport: string; times: Wait[] }[] = [];
    for (const transport of ['websocket', 'polling']) {
      const times: Wait[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
        times.push(...(await playRound(page, bot.origin, await seedRound(dataDir), transport)));
        await page.close();
      }
      results.push({ transport, times });
    }
    console.log(`click (or Enter) to next card in view, ${RUNS} round(s) of ${QUESTIONS} questions per transport, 360x740`);
    console.log('transport   samples  p50 (ms)  p95 (ms)  max (ms)  p50 arrived (ms)  p95 arrived (ms)');
    for (const { transport, times } of results) {
      const visible = times.map((t) => t.visible).sort((a, b) => a - b);
      const arrived = times.map((t) => t.arrived).sort((a, b) => a - b);
      const row = [percentile(visible, 50), percentile(visible, 95), visible[visible.length - 1]].map((ms) => ms.toFixed(0).padStart(8));
      const split = [percentile(arrived, 50), percentile(arrived, 95)].map((ms) => ms.toFixed(0).padStart(16));
      console.log(`${transport.padEnd(10)}  ${String(visible.length).padStart(7)}  ${row.join('  ')}  ${split.join('  ')}`);
    }
    console.log(
      `load average: ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await browser.close();
    await bot.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
