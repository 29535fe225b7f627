/**
 * @packageDocumentation
 * Counts the files a piece of code reads, whichever way it reads them: the store reads records
 * synchronously (`readFileSync`), other parts with `fs.promises.readFile`.
 */
import fsSync, { promises as fs } from 'node:fs';

export interface FileReads {
  /** The paths read so far, in order (a file read twice is listed twice). */
  files(): string[];
  restore(): void;
}

export function spyOnFileReads(): FileReads {
  const asynchronous = jest.spyOn(fs, 'readFile');
  const synchronous = jest.spyOn(fsSync, 'readFileSync');
  const pathOf = (file: unknown): string => (typeof file === 'string' ? file : '(not a path)');
  return {
    files: () => [...asynchronous.mock.calls.map(([file]) => pathOf(file)), ...synchronous.mock.calls.map(([file]) => pathOf(file))],
    restore: () => {
      asynchronous.mockRestore();
      synchronous.mockRestore();
    },
  };
}
