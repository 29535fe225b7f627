/**
 * @packageDocumentation
 * Typings for the few deep modules of `natural` the reply interpreter uses.
 *
 * @remarks `natural`'s own typings only describe the package root, and importing the root loads
 * every sub-module (database drivers included), which costs about a second and prints to stdout.
 * Importing these files directly keeps start-up in the milliseconds.
 */

declare module 'natural/lib/natural/distance/jaro-winkler_distance' {
  interface JaroWinklerOptions {
    dj?: number;
    ignoreCase?: boolean;
  }
  /** Jaro-Winkler similarity, 0 (nothing alike) to 1 (equal). */
  function JaroWinklerDistance(s1: string, s2: string, options?: JaroWinklerOptions): number;
  export = JaroWinklerDistance;
}

declare module 'natural/lib/natural/distance/levenshtein_distance' {
  interface DamerauLevenshteinDistanceOptions {
    insertion_cost?: number;
    deletion_cost?: number;
    substitution_cost?: number;
    transposition_cost?: number;
    restricted?: boolean;
  }
  export function LevenshteinDistance(source: string, target: string, options?: DamerauLevenshteinDistanceOptions): number;
  export function DamerauLevenshteinDistance(source: string, target: string, options?: DamerauLevenshteinDistanceOptions): number;
}

declare module 'natural/lib/natural/tokenizers/aggressive_tokenizer_nl' {
  class AggressiveTokenizerNl {
    tokenize(text: string): string[];
  }
  export = AggressiveTokenizerNl;
}

declare module 'natural/lib/natural/util/stopwords_nl' {
  export const words: string[];
}

declare module 'natural/lib/natural/util/stopwords' {
  export const words: string[];
}
