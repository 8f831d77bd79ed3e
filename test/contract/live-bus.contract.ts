import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveBus, LiveEvent, LiveEventType } from '../../src/domain/live/index.js';

/** A fresh bus for one test, on a private channel space, and how to clean it up. */
export interface LiveBusHarness {
  bus: LiveBus;
  cleanup(): Promise<void>;
}

/** How long a test waits for an event that should come. */
const ARRIVAL_TIMEOUT_MS = 5_000;

/** Collects what one listener receives and waits for it. */
export class Inbox {
  readonly events: LiveEvent[] = [];
  readonly listener = (event: LiveEvent): void => {
    this.events.push(event);
  };

  async waitFor(count: number, timeoutMs = ARRIVAL_TIMEOUT_MS): Promise<LiveEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} events, got ${this.events.length}: ${JSON.stringify(this.events)}`);
      await sleep(5);
    }
    return this.events;
  }
}

/** Tenant ids unique to one run, so suites sharing a Redis never see each other's events. */
export const uniqueTenant = (label: string): string => `${label}_${randomBytes(4).toString('hex')}`;

export function liveEvent(
  tenantId: string,
  conversationId: string,
  type: LiveEventType = 'message.created',
  data: Record<string, unknown> = {},
): LiveEvent {
  return { type, tenantId, conversationId, at: new Date().toISOString(), data };
}

/** The behaviour every live bus must have within one process: the memory twin and the Redis twin alike. */
export function liveBusContract(
  name: string,
  makeBus: () => Promise<LiveBusHarness>,
  options: { skip?: boolean } = {},
): void {
  describe.skipIf(options.skip ?? false)(name, () => {
    let h: LiveBusHarness;
    let tenant: string;
    let other: string;
    beforeEach(async () => {
      h = await makeBus();
      tenant = uniqueTenant('t_a');
      other = uniqueTenant('t_b');
    });
    afterEach(async () => {
      await h.cleanup();
    });

    /**
     * Proves that nothing more is coming: a witness subscribed to the whole tenant gets a later
     * event, and a tenant's events reach this process in the order they were published.
     */
    const settle = async (tenantId: string) => {
      const witness = new Inbox();
      const sub = await h.bus.subscribe(tenantId, undefined, witness.listener);
      await h.bus.publish(liveEvent(tenantId, 'conv_witness', 'conversation.updated', { witness: true }));
      await witness.waitFor(1);
      await sub.close();
    };
    const dataOf = (inbox: Inbox) => inbox.events.filter((e) => e.conversationId !== 'conv_witness').map((e) => e.data);

    it('delivers a published event, whole, to a subscriber of the tenant', async () => {
      const inbox = new Inbox();
      await h.bus.subscribe(tenant, undefined, inbox.listener);
      const event = liveEvent(tenant, 'conv_1', 'message.created', {
        message_id: 'msg_1',
        text: 'Hi there',
        nested: { n: 1, list: [1, 'two', null] },
      });
      await h.bus.publish(event);
      const [received] = await inbox.waitFor(1);
      expect(received).toEqual(event);
    });

    it('delivers every conversation of the tenant to a tenant-wide subscriber', async () => {
      const inbox = new Inbox();
      await h.bus.subscribe(tenant, undefined, inbox.listener);
      await h.bus.publish(liveEvent(tenant, 'conv_1', 'typing'));
      await h.bus.publish(liveEvent(tenant, 'conv_2', 'conversation.transferred'));
      const received = await inbox.waitFor(2);
      expect(received.map((e) => [e.conversationId, e.type])).toEqual([
        ['conv_1', 'typing'],
        ['conv_2', 'conversation.transferred'],
      ]);
    });

    it('delivers only its own conversation to a conversation subscriber', async () => {
      const inbox = new Inbox();
      await h.bus.subscribe(tenant, 'conv_1', inbox.listener);
      await h.bus.publish(liveEvent(tenant, 'conv_2', 'message.created', { n: 1 }));
      await h.bus.publish(liveEvent(tenant, 'conv_1', 'message.created', { n: 2 }));
      await inbox.waitFor(1);
      await settle(tenant);
      expect(inbox.events.map((e) => e.data)).toEqual([{ n: 2 }]);
    });

    it('delivers a lead event, which has no conversation, to the tenant but to no conversation subscriber', async () => {
      const everything = new Inbox();
      const oneConversation = new Inbox();
      await h.bus.subscribe(tenant, undefined, everything.listener);
      await h.bus.subscribe(tenant, 'conv_1', oneConversation.listener);
      const lead: LiveEvent = {
        type: 'lead.created',
        tenantId: tenant,
        conversationId: null,
        at: new Date().toISOString(),
        data: { id: 'lead_1', tier: 'HOT', score: 91, source: 'website_form' },
      };
      await h.bus.publish(lead);
      const [received] = await everything.waitFor(1);
      expect(received).toEqual(lead);
      await settle(tenant);
      expect(oneConversation.events).toEqual([]);
    });

    it("never delivers one tenant's events to another tenant's subscribers", async () => {
      const mine = new Inbox();
      const theirs = new Inbox();
      await h.bus.subscribe(tenant, undefined, mine.listener);
      await h.bus.subscribe(other, 'conv_1', theirs.listener);
      await h.bus.publish(liveEvent(tenant, 'conv_1', 'message.created', { secret: 'A' }));
      await mine.waitFor(1);
      await settle(other);
      expect(theirs.events).toEqual([]);
      expect(mine.events.map((e) => e.data)).toEqual([{ secret: 'A' }]);
    });

    it('delivers to every subscriber of the tenant', async () => {
      const inboxes = [new Inbox(), new Inbox(), new Inbox()];
      await h.bus.subscribe(tenant, undefined, inboxes[0]!.listener);
      await h.bus.subscribe(tenant, undefined, inboxes[1]!.listener);
      await h.bus.subscribe(tenant, 'conv_1', inboxes[2]!.listener);
      await h.bus.publish(liveEvent(tenant, 'conv_1'));
      for (const inbox of inboxes) expect(await inbox.waitFor(1)).toHaveLength(1);
    });

    it('keeps the order in which one tenant’s events were published', async () => {
      const inbox = new Inbox();
      await h.bus.subscribe(tenant, undefined, inbox.listener);
      for (let i = 0; i < 50; i++) await h.bus.publish(liveEvent(tenant, `conv_${i % 3}`, 'typing', { i }));
      const received = await inbox.waitFor(50);
      expect(received.map((e) => e.data.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    });

    it('stops delivering to a closed subscription and keeps delivering to the others', async () => {
      const closed = new Inbox();
      const kept = new Inbox();
      const sub = await h.bus.subscribe(tenant, undefined, closed.listener);
      await h.bus.subscribe(tenant, undefined, kept.listener);
      await h.bus.publish(liveEvent(tenant, 'conv_1', 'typing', { n: 1 }));
      await closed.waitFor(1);
      await sub.close();
      await h.bus.publish(liveEvent(tenant, 'conv_1', 'typing', { n: 2 }));
      await kept.waitFor(2);
      await settle(tenant);
      expect(dataOf(closed)).toEqual([{ n: 1 }]);
      expect(dataOf(kept)).toEqual([{ n: 1 }, { n: 2 }]);
    });

    it('subscribes a tenant afresh after its last subscription closed', async () => {
      const first = await h.bus.subscribe(tenant, undefined, new Inbox().listener);
      await first.close();
      const inbox = new Inbox();
      await h.bus.subscribe(tenant, undefined, inbox.listener);
      await h.bus.publish(liveEvent(tenant, 'conv_1'));
      expect(await inbox.waitFor(1)).toHaveLength(1);
    });

    it('lets a subscription be closed twice', async () => {
      const sub = await h.bus.subscribe(tenant, undefined, new Inbox().listener);
      await sub.close();
      await expect(sub.close()).resolves.toBeUndefined();
    });

    it('keeps delivering to the others when one listener throws', async () => {
      const inbox = new Inbox();
      await h.bus.subscribe(tenant, undefined, () => {
        throw new Error('listener failure');
      });
      await h.bus.subscribe(tenant, undefined, inbox.listener);
      await expect(h.bus.publish(liveEvent(tenant, 'conv_1'))).resolves.toBeUndefined();
      expect(await inbox.waitFor(1)).toHaveLength(1);
    });

    it('gives each subscriber its own copy of the event', async () => {
      const first = new Inbox();
      const second = new Inbox();
      await h.bus.subscribe(tenant, undefined, (event) => {
        event.data.changed = true;
        first.listener(event);
      });
      await h.bus.subscribe(tenant, undefined, second.listener);
      await h.bus.publish(liveEvent(tenant, 'conv_1', 'typing', { n: 1 }));
      await first.waitFor(1);
      const [received] = await second.waitFor(1);
      expect(received?.data).toEqual({ n: 1 });
    });

    it('delivers nothing once closed', async () => {
      const inbox = new Inbox();
      await h.bus.subscribe(tenant, undefined, inbox.listener);
      await h.bus.close();
      await h.bus.publish(liveEvent(tenant, 'conv_1')).catch(() => undefined);
      await sleep(100);
      expect(inbox.events).toEqual([]);
    });
  });
}
