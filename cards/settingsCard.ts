import { adaptiveCard, AdaptiveCard, textBlock } from './adaptiveCard';
import { submitData } from './cardActions';
import { strings } from './strings';
import type { Locale, Register } from '../services/vocabulary';

/**
 * Language and "simple words". Each button is a complete choice, so one click is enough and a
 * replayed click just sets the same thing again.
 */
export function createSettingsCard(locale: Locale, register: Register): AdaptiveCard {
  const s = strings(locale);
  const mark = (on: boolean, title: string): string => (on ? `✓ ${title}` : title);
  return adaptiveCard([textBlock(s.settingsTitle, { size: 'Medium', weight: 'Bolder' }), textBlock(s.settingsText)], {
    lang: locale,
    speak: `${s.settingsTitle}. ${s.settingsText}`,
    actions: [
      { type: 'Action.Submit', title: mark(locale === 'nl', s.languageDutch), data: submitData({ verb: 'settings', locale: 'nl' }) },
      { type: 'Action.Submit', title: mark(locale === 'en', s.languageEnglish), data: submitData({ verb: 'settings', locale: 'en' }) },
      {
        type: 'Action.Submit',
        title: mark(register === 'simple', s.simpleWordsOn),
        data: submitData({ verb: 'settings', register: 'simple' }),
      },
      {
        type: 'Action.Submit',
        title: mark(register === 'standard', s.simpleWordsOff),
        data: submitData({ verb: 'settings', register: 'standard' }),
      },
      { type: 'Action.Submit', title: s.settingsDone, data: submitData({ verb: 'start' }), style: 'positive' },
    ],
  });
}
