import type { EventName, EventPayload, StationEvent } from '../../shared/ipc/events';

export type EventListener = (event: StationEvent, connectionId: string | null) => void;

/**
 * Pushed events from the core to the hosts (Electron windows, WebSocket connections). A `connectionId`
 * targets one connection (its own session changed); null broadcasts to every trusted connection.
 */
export class StationEvents {
  private readonly listeners = new Set<EventListener>();

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>, connectionId: string | null = null): void {
    const event = { name, payload } as StationEvent;
    for (const listener of this.listeners) {
      try {
        listener(event, connectionId);
      } catch {
        // A broken host connection must not break the core action that raised the event.
      }
    }
  }
}
