// Domain events published for others (EventBridge in the cloud, the local bus locally).

export interface DomainEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
