// The project's event bus, locally: events the system emits (RunCompleted, partner CustomerEvents,
// ...) are kept in order and appended to the data dir, where `npm start` and tests can read them.
// Partner events carry personal data, so the log is private to the user (0600) and the GDPR erase
// removes a customer's events from it (docs/personal-data.md).
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ErasureSubject, PersonalDataStore } from '../shared/ports/customer-data.js';
import type { DomainEvent, EventPublisher } from '../shared/ports/events.js';

/** Whether a logged event is about the customer: partner events name them in `detail.customerId`. */
const isAbout = (customerId: string, detail: unknown): boolean =>
  typeof detail === 'object' && detail !== null && Reflect.get(detail, 'customerId') === customerId;

/** Whether a line of the log holds the customer's event (a line cut short by a crash: by its text). */
function lineIsAbout(customerId: string, line: string): boolean {
  try {
    const entry: unknown = JSON.parse(line);
    return typeof entry === 'object' && entry !== null && isAbout(customerId, Reflect.get(entry, 'detail'));
  } catch {
    return line.includes(JSON.stringify(customerId));
  }
}

export class LocalBus implements EventPublisher, PersonalDataStore {
  readonly published: (DomainEvent & { time: string })[] = [];

  /** `name`: how the erasure report names the file (the bus's dead-letter file: 'localBusDlq'). */
  constructor(
    private readonly file?: string,
    readonly name = 'localBusLog',
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const e of events) {
      const entry = { ...e, time: new Date().toISOString() };
      this.published.push(entry);
      if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    }
  }

  /**
   * Removes the customer's events from memory and from the log, which is rewritten beside itself and
   * renamed over it: a reader sees the old log or the new one. Synchronous from read to rename, so
   * no event this process publishes meanwhile is lost.
   */
  async erase(subject: ErasureSubject): Promise<number> {
    const before = this.published.length;
    const kept = this.published.filter((e) => !isAbout(subject.customerId, e.detail));
    this.published.splice(0, this.published.length, ...kept);
    const removedHere = before - kept.length;
    if (!this.file || !existsSync(this.file)) return removedHere;
    const lines = readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const keptLines = lines.filter((l) => !lineIsAbout(subject.customerId, l));
    const removed = lines.length - keptLines.length;
    if (removed === 0) return 0;
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, keptLines.map((l) => `${l}\n`).join(''), { mode: 0o600 });
    renameSync(temp, this.file);
    return removed;
  }
}
