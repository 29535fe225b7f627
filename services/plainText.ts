/**
 * @packageDocumentation
 * Cleaning text that people type into names and labels.
 */

// Control characters (tabs, newlines, NUL, DEL) would break lists and logs; they become spaces.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** Control characters become spaces, runs of white space one space, and the ends are trimmed. */
export function collapseWhitespace(value: string): string {
  return value.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
}
