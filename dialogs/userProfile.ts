import type { Locale, Register } from '../services/vocabulary';

/**
 * What the bot remembers about a person across conversations (user state): their role, how they
 * want to read, which round they belong to and which answers they are working on. No names, no
 * free text.
 */
export interface UserProfile {
  role: 'client' | 'professional' | null;
  locale: Locale;
  register: Register;
  /** Set once a professional is signed in (Teams identity or personal access link). */
  professionalId: string | null;
  /** The professional's credential generation at sign-in; a rotated or revoked link ends the session. */
  professionalGeneration?: number;
  /** The round a client joined. */
  roundId: string | null;
  /** The response set being filled in; kept so a new conversation (or a restart) can resume it. */
  activeResponseSetId: string | null;
}

export function defaultProfile(locale: Locale): UserProfile {
  return { role: null, locale, register: 'simple', professionalId: null, roundId: null, activeResponseSetId: null };
}

/** The locale a channel reports ("nl-NL", "en-US"), reduced to one we speak; Dutch by default. */
export function localeFromChannel(channelLocale: string | undefined): Locale {
  return typeof channelLocale === 'string' && /^en\b/i.test(channelLocale) ? 'en' : 'nl';
}
