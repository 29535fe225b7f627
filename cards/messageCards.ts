import { adaptiveCard, AdaptiveCard, textBlock } from './adaptiveCard';
import { submitData } from './cardActions';
import { strings } from './strings';
import type { Locale } from '../services/vocabulary';

/** The explanation before the first question: why, how long, who sees the answers, no right or wrong. */
export function createIntroCard(lines: string[], locale: Locale): AdaptiveCard {
  const s = strings(locale);
  return adaptiveCard(
    [textBlock(s.introTitle, { size: 'Large', weight: 'Bolder' }), ...lines.map((line) => textBlock(line, { spacing: 'Small' }))],
    {
      lang: locale,
      speak: `${s.introTitle}. ${lines.join(' ')}`,
      actions: [
        { type: 'Action.Submit', title: s.start, data: submitData({ verb: 'start' }), style: 'positive' },
        { type: 'Action.Submit', title: s.settingsTitle, data: submitData({ verb: 'settings' }) },
      ],
    },
  );
}

/** Offered when someone comes back to answers that are not finished yet. */
export function createResumeCard(answered: number, total: number, locale: Locale): AdaptiveCard {
  const s = strings(locale);
  const text = s.resumeText(answered, total);
  return adaptiveCard([textBlock(s.resumeTitle, { size: 'Large', weight: 'Bolder' }), textBlock(text)], {
    lang: locale,
    speak: `${s.resumeTitle}. ${text}`,
    actions: [
      { type: 'Action.Submit', title: s.resume, data: submitData({ verb: 'resume' }), style: 'positive' },
      { type: 'Action.Submit', title: s.restart, data: submitData({ verb: 'restart' }) },
    ],
  });
}

/** Starting over erases answers, so it is asked once more. */
export function createRestartConfirmCard(responseSetId: string, locale: Locale): AdaptiveCard {
  const s = strings(locale);
  return adaptiveCard([textBlock(s.restartConfirm, { weight: 'Bolder' })], {
    lang: locale,
    speak: s.restartConfirm,
    actions: [
      { type: 'Action.Submit', title: s.restartNo, data: submitData({ verb: 'resume' }), style: 'positive' },
      { type: 'Action.Submit', title: s.restartYes, data: submitData({ verb: 'restartConfirmed', responseSetId }), style: 'destructive' },
    ],
  });
}

export function createThanksCard(locale: Locale): AdaptiveCard {
  const s = strings(locale);
  return adaptiveCard([textBlock(s.thanksTitle, { size: 'Large', weight: 'Bolder' }), textBlock(s.thanksText)], {
    lang: locale,
    speak: `${s.thanksTitle} ${s.thanksText}`,
  });
}

/** After "Later verder": the answers are kept, and one button goes on where the person was. */
export function createPausedCard(locale: Locale): AdaptiveCard {
  const s = strings(locale);
  return adaptiveCard([textBlock(s.paused)], {
    lang: locale,
    speak: s.paused.replace(/\*\*/g, ''),
    actions: [{ type: 'Action.Submit', title: s.resume, data: submitData({ verb: 'resume' }), style: 'positive' }],
  });
}
