/**
 * @packageDocumentation
 * Short-lived links that work once (the chat's "Overzicht" link to the tab): the port that
 * remembers which were used. In memory for one instance (`InMemorySingleUseLinks`); in the database
 * for several (`storage/postgres/postgresSingleUseLinks.ts`), or a link used on one instance would
 * work once more on each of the others.
 */
export interface SingleUseLinks {
  /** True the first time `nonce` is used; false ever after, until it expires at `expiresAt`. */
  useOnce(nonce: string, expiresAt: Date): Promise<boolean>;
}
