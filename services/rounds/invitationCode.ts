import { createHash } from 'node:crypto';

/** No 0/O, 1/I/L: nothing that reads or sounds like something else. 31 symbols, 8 per code. */
export const INVITATION_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;

/**
 * The canonical form of a typed code: upper case, no spaces, dashes, dots or underscores.
 * `null` when it cannot be a code ("k7qx m4pd" → "K7QXM4PD").
 */
export function normaliseInvitationCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const compact = input.toUpperCase().replace(/[\s._-]/g, '');
  if (compact.length !== CODE_LENGTH) return null;
  for (const char of compact) if (!INVITATION_CODE_ALPHABET.includes(char)) return null;
  return compact;
}

/** "K7QXM4PD" → "K7QX-M4PD": two groups of four are easier to read out and copy. */
export function formatInvitationCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function generateInvitationCode(random: (bytes: number) => Buffer): string {
  // Rejection sampling: bytes >= 248 would make the first 8 symbols more likely than the rest.
  const limit = 256 - (256 % INVITATION_CODE_ALPHABET.length);
  let code = '';
  for (let round = 0; round < 100 && code.length < CODE_LENGTH; round += 1) {
    for (const byte of random(CODE_LENGTH * 2)) {
      if (byte < limit && code.length < CODE_LENGTH) code += INVITATION_CODE_ALPHABET[byte % INVITATION_CODE_ALPHABET.length];
    }
  }
  if (code.length < CODE_LENGTH) throw new Error('random source gives no usable bytes');
  return code;
}
