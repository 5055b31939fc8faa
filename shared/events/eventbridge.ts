// EventPublisher over EventBridge PutEvents (10 entries a call; partial failures retried once).
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { DomainEvent, EventPublisher } from '../ports/events.js';

export class PublishFailedError extends Error {
  constructor(readonly failed: number) {
    super(`${failed} event(s) could not be put on the bus`);
    this.name = 'PublishFailedError';
  }
}

export class EventBridgePublisher implements EventPublisher {
  constructor(private readonly opts: { client: EventBridgeClient; busName: string }) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 10) {
      let entries: PutEventsRequestEntry[] = events.slice(i, i + 10).map((e) => ({
        EventBusName: this.opts.busName,
        Source: e.source,
        DetailType: e.detailType,
        Detail: JSON.stringify(e.detail),
      }));
      for (let attempt = 0; attempt < 2 && entries.length > 0; attempt++) {
        const out = await this.opts.client.send(new PutEventsCommand({ Entries: entries }));
        entries = entries.filter((_, j) => out.Entries?.[j]?.ErrorCode);
      }
      if (entries.length > 0) throw new PublishFailedError(entries.length);
    }
  }
}
