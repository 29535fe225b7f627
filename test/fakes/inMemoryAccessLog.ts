import { AccessEntry, AccessLog, AccessLogFilter, redactEntry } from '../../services/access/accessLog';

/** The access log in an array, for dialog and tab tests. */
export class InMemoryAccessLog implements AccessLog {
  entries: AccessEntry[] = [];

  async record(entry: AccessEntry): Promise<void> {
    this.entries.push(structuredClone(entry));
  }

  async *read(filter: AccessLogFilter): AsyncIterable<AccessEntry> {
    for (const entry of this.entries) if (filter.roundId === undefined || entry.roundId === filter.roundId) yield entry;
  }

  async redact(personIds: ReadonlySet<string>, roundIds: ReadonlySet<string>): Promise<number> {
    const before = this.entries;
    this.entries = before.map((entry) => redactEntry(entry, personIds, roundIds));
    return this.entries.filter((entry, index) => entry !== before[index]).length;
  }
}
