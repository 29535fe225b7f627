import { adaptiveCard, AdaptiveCard, textBlock } from './adaptiveCard';
import { submitData } from './cardActions';
import { strings } from './strings';
import type { Locale } from '../services/vocabulary';

/** What the reader can do at any moment, in plain words. */
export function createHelpCard(locale: Locale): AdaptiveCard {
  const s = strings(locale);
  return adaptiveCard(
    [textBlock(s.helpTitle, { size: 'Medium', weight: 'Bolder' }), ...s.helpLines.map((line) => textBlock(line, { spacing: 'Small' }))],
    {
      lang: locale,
      speak: [s.helpTitle, ...s.helpLines].join(' ').replace(/\*\*/g, ''),
      actions: [
        { type: 'Action.Submit', title: s.settingsTitle, data: submitData({ verb: 'settings' }) },
        { type: 'Action.Submit', title: s.resume, data: submitData({ verb: 'resume' }) },
      ],
    },
  );
}
