/**
 * The error a state `Storage` throws when a write's eTag is not the stored one. Its message is the
 * one botbuilder's own storages use, which `bots/eTagCheckedStorage.ts` recognises, so every state
 * storage here (files, PostgreSQL) fails the same way.
 */
export function eTagConflictError(key: string): Error {
  return new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}
