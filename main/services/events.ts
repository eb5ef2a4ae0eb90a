/**
 * Events from the services to whatever shows them (the Electron window, the start:web stream).
 * Typed by the IPC contract, so a service cannot emit something the renderer does not expect.
 */
import { events, type EventName, type EventPayload } from '../../shared/contract';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  /** Checks the payload against the contract (a bug here must not reach the renderer). */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].parse(payload) as EventPayload<E>;
    for (const l of this.listeners) {
      try {
        l(event, checked);
      } catch {
        // a failing window must not stop the service that emitted
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
