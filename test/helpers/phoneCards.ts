/**
 * @packageDocumentation
 * What a person on a phone sees of the bot's cards in the web chat page: which cards are new, whether
 * each shows from its top, and whether anything on it is cut off or runs off the side.
 */
import type { Page } from 'playwright-core';

export interface CardLayout {
  /** The card's first line of text, to name it in a failure. */
  firstText: string;
  /** The card's top, relative to the top of the chat's visible area (0 = at the top edge). */
  topInView: number;
  /** Height of the chat's visible area. */
  viewHeight: number;
  height: number;
  /** Elements whose content is wider than they are (a label cut off, a line running off the side). */
  overflowing: string[];
  /** Buttons whose label does not fit (ends in "…" or is clipped). */
  truncatedButtons: string[];
  /** Buttons and inputs smaller than 44×44 CSS px to touch. */
  smallTargets: string[];
}

/** The bot's top-level cards in the transcript (cards inside cards, as in a show-card, are part of theirs). */
export async function cardCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      Array.from(document.querySelectorAll('#webchat .ac-adaptiveCard')).filter((card) => !card.parentElement?.closest('.ac-adaptiveCard'))
        .length,
  );
}

/**
 * Waits until the chat has stopped scrolling (Web Chat animates, and the page corrects a card that
 * arrived out of view shortly after), so what is measured is what the person is left looking at.
 */
export async function waitForScrollToSettle(page: Page): Promise<void> {
  let last = -1;
  let steady = 0;
  for (let tries = 0; tries < 60 && steady < 4; tries += 1) {
    const now = await page.evaluate(() => document.querySelector('#webchat .webchat__basic-transcript__scrollable')?.scrollTop ?? 0);
    steady = now === last ? steady + 1 : 0;
    last = now;
    await page.waitForTimeout(80);
  }
}

/** Layout of the top-level cards from index `from` on. */
export async function layoutOfCards(page: Page, from: number): Promise<CardLayout[]> {
  return page.evaluate((first) => {
    const scroller = document.querySelector('#webchat .webchat__basic-transcript__scrollable');
    if (!scroller) throw new Error('no transcript');
    const view = scroller.getBoundingClientRect();
    const describe = (element: Element): string =>
      `${element.tagName.toLowerCase()}.${element.className.toString().split(' ')[0]} "${(element.textContent ?? '').trim().slice(0, 60)}"`;
    const cards = Array.from(document.querySelectorAll('#webchat .ac-adaptiveCard')).filter(
      (card) => !card.parentElement?.closest('.ac-adaptiveCard'),
    );
    return cards.slice(first).map((card) => {
      const box = card.getBoundingClientRect();
      const elements = [card, ...Array.from(card.querySelectorAll('*'))].filter(
        (element): element is HTMLElement => element instanceof HTMLElement && element.clientWidth > 0,
      );
      const overflowing = elements.filter((element) => element.scrollWidth > element.clientWidth + 1).map(describe);
      // Past the card's (or the chat's) right edge, even where no element reports it.
      for (const element of elements) {
        const right = element.getBoundingClientRect().right;
        if (right > Math.min(box.right, view.right) + 1) overflowing.push(`${describe(element)} past the right edge`);
      }
      const truncatedButtons = Array.from(card.querySelectorAll('button')).flatMap((button) => {
        const label = (button.textContent ?? '').trim();
        const parts = [button, ...Array.from(button.querySelectorAll('*'))].filter(
          (element): element is HTMLElement => element instanceof HTMLElement,
        );
        const cut = parts.some(
          (element) =>
            element.scrollWidth > element.clientWidth + 1 ||
            element.scrollHeight > element.clientHeight + 1 ||
            (getComputedStyle(element).textOverflow === 'ellipsis' && getComputedStyle(element).whiteSpace === 'nowrap'),
        );
        return cut ? [label] : [];
      });
      const smallTargets = Array.from(card.querySelectorAll('button, input, textarea, select'))
        .filter((target) => {
          const size = target.getBoundingClientRect();
          // A hidden target (a closed show-card, a visually hidden radio inside its 44 px label) is no target.
          if (size.width === 0 || size.height === 0) return false;
          const label = target.closest('label') ?? (target.id ? document.querySelector(`label[for="${target.id}"]`) : null);
          const touch = label ? label.getBoundingClientRect() : size;
          return Math.max(touch.height, size.height) < 44 || Math.max(touch.width, size.width) < 44;
        })
        .map(describe);
      return {
        firstText: (card.textContent ?? '').trim().slice(0, 80),
        topInView: box.top - view.top,
        viewHeight: view.height,
        height: box.height,
        overflowing,
        truncatedButtons,
        smallTargets,
      };
    });
  }, from);
}
