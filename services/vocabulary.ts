/**
 * @packageDocumentation
 * The shared words of the domain: dimensions, perspectives, registers, locales, domains, scale.
 *
 * @remarks Pure data and type guards only; every other domain module builds on these names.
 */

export const DIMENSIONS = ['direction', 'trust', 'bond', 'friction'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Who answers: the client about their experience, the professional about theirs (mirrored items). */
export const PERSPECTIVES = ['client', 'professional'] as const;
export type Perspective = (typeof PERSPECTIVES)[number];

/** `simple` follows B1 writing for readers with low literacy; `standard` is the ordinary wording. */
export const REGISTERS = ['standard', 'simple'] as const;
export type Register = (typeof REGISTERS)[number];

export const LOCALES = ['nl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Fields of (semi-)mandated work the wording can be tuned to. */
export const DOMAINS = ['probation', 'youthProtection', 'debtHelp', 'workAndIncome', 'shelter'] as const;
export type Domain = (typeof DOMAINS)[number];

/** Short form: 8 items, 2 per dimension; full: 19 items. */
export const FORMS = ['full', 'short'] as const;
export type Form = (typeof FORMS)[number];

/** 1 = no / never / not at all true … 5 = yes / always / completely true. */
export const SCALE_VALUES = [1, 2, 3, 4, 5] as const;
export type ScaleValue = (typeof SCALE_VALUES)[number];

export type Localized = Record<Locale, string>;

function isOneOf<T extends string | number>(list: readonly T[], value: unknown): value is T {
  return (list as readonly unknown[]).includes(value);
}

export const isRegister = (value: unknown): value is Register => isOneOf(REGISTERS, value);
export const isLocale = (value: unknown): value is Locale => isOneOf(LOCALES, value);
export const isDomain = (value: unknown): value is Domain => isOneOf(DOMAINS, value);
export const isForm = (value: unknown): value is Form => isOneOf(FORMS, value);
export const isScaleValue = (value: unknown): value is ScaleValue => isOneOf(SCALE_VALUES, value);
