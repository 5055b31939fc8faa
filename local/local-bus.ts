// The project's event bus, locally: events the system emits (RunCompleted, ...) are kept in order
// and appended to the data dir, where `npm start` and tests can read them.
import { appendFileSync } from 'node:fs';
import type { DomainEvent, EventPublisher } from '../shared/ports/events.js';

export class LocalBus implements EventPublisher {
  readonly published: (DomainEvent & { time: string })[] = [];

  constructor(private readonly file?: string) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const e of events) {
      const entry = { ...e, time: new Date().toISOString() };
      this.published.push(entry);
      if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    }
  }
}
