import { createHmac, randomBytes } from 'node:crypto';

/**
 * Replaces ids by pseudonyms that hold within one export only.
 *
 * @remarks HMAC-SHA256 with a salt drawn for each export and never stored: the same round gets the
 * same pseudonym on every row of one file, but two exports (or an export and the chat ids) cannot be
 * joined, and nobody can go back from a pseudonym to a round without the salt.
 */
export class Pseudonymiser {
  private readonly salt: Buffer;

  /** @param salt - for tests only; by default 32 random bytes. */
  constructor(salt: Buffer = randomBytes(32)) {
    this.salt = salt;
  }

  /** 16 hex characters (64 bits): short enough to read, enough to keep 100,000 rounds apart. */
  pseudonym(kind: string, id: string): string {
    return createHmac('sha256', this.salt).update(`${kind}\u0000${id}`).digest('hex').slice(0, 16);
  }
}
