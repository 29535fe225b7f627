import { adaptiveCard, AdaptiveCard, textBlock } from './adaptiveCard';
import { submitData } from './cardActions';
import { strings } from './strings';
import type { Locale } from '../services/vocabulary';

/** The first card: what this is, and whether the reader is the client or the professional. */
export function createWelcomeCard(locale: Locale): AdaptiveCard {
  const s = strings(locale);
  return adaptiveCard(
    [
      textBlock(s.welcomeTitle, { size: 'Large', weight: 'Bolder' }),
      textBlock(s.welcomeText),
      textBlock(s.roleQuestion, { weight: 'Bolder', spacing: 'Medium' }),
    ],
    {
      lang: locale,
      speak: `${s.welcomeTitle}. ${s.welcomeText} ${s.roleQuestion}`,
      actions: [
        { type: 'Action.Submit', title: s.roleClient, data: submitData({ verb: 'chooseRole', role: 'client' }), style: 'positive' },
        { type: 'Action.Submit', title: s.roleProfessional, data: submitData({ verb: 'chooseRole', role: 'professional' }) },
        { type: 'Action.Submit', title: s.help, data: submitData({ verb: 'help' }) },
      ],
    },
  );
}
