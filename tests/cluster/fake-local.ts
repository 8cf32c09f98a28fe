/** A stand-in for a node's rooms, for tests of the cluster alone: it records what the cluster hands it. */
import type { Delivery, LocalSide } from '../../server/cluster/cluster.ts';
import type { MediaEvent } from '../../server/cluster/media-event.ts';
import type { MemberValue, NodeRooms } from '../../server/cluster/redis-link.ts';

export class FakeLocal implements LocalSide {
  readonly held = new Map<string, Map<string, MemberValue>>();
  readonly delivered: Delivery[] = [];
  readonly elsewhere: Array<{ room: string; id: string; value: MemberValue }> = [];
  readonly vanished: Array<{ room: string; id: string }> = [];
  readonly mediaEvents: Array<{ room: string; event: MediaEvent }> = [];
  private waiters: Array<() => void> = [];

  hold(room: string, id: string, value: MemberValue): void {
    let members = this.held.get(room);
    if (!members) this.held.set(room, (members = new Map()));
    members.set(id, value);
  }

  rooms(): NodeRooms[] {
    return [...this.held].map(([room, members]) => ({ room, members: [...members] }));
  }
  deliver(delivery: Delivery): void {
    this.delivered.push(delivery);
    this.wake();
  }
  mirrorChanged(): void {
    this.wake();
  }
  announcedElsewhere(room: string, id: string, value: MemberValue): void {
    this.elsewhere.push({ room, id, value });
    this.wake();
  }

  broadcasterVanished(room: string, id: string): void {
    this.vanished.push({ room, id });
    this.wake();
  }

  media(room: string, event: MediaEvent): void {
    this.mediaEvents.push({ room, event });
    this.wake();
  }

  /** Resolves once `check()` is true, checked after each thing the cluster hands over. */
  async until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
