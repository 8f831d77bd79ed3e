import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLiveBus } from '../../src/pubsub/memory.live-bus.js';
import { createRedisLiveBus, type RedisLiveBus } from '../../src/pubsub/redis.live-bus.js';
import { Inbox, liveBusContract, liveEvent, uniqueTenant } from '../contract/live-bus.contract.js';
import { TEST_REDIS_URL } from '../helpers/db.js';

const redisLabel = TEST_REDIS_URL ? 'Redis live bus' : 'Redis live bus (skipped: set TEST_REDIS_URL to run)';

/** One simulated process: its own main connection and its own bus on a channel prefix private to the test. */
function redisProcess(
  prefix: string,
  connectionName = `fd-test-live-${randomBytes(4).toString('hex')}`,
): { redis: Redis; bus: RedisLiveBus; connectionName: string; stop(): Promise<void> } {
  const redis = new Redis(TEST_REDIS_URL!, { maxRetriesPerRequest: 2 });
  const bus = createRedisLiveBus(redis, { prefix, connectionName });
  return {
    redis,
    bus,
    connectionName,
    async stop() {
      await bus.close();
      await redis.quit();
    },
  };
}

/** Redis client ids whose CLIENT SETNAME is `name`. */
async function clientIds(redis: Redis, name: string): Promise<string[]> {
  const list = (await redis.client('LIST')) as string;
  return list
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1] ?? '')
    .filter(Boolean);
}

liveBusContract('memory live bus', () => {
  const bus = createMemoryLiveBus();
  return Promise.resolve({ bus, cleanup: () => bus.close() });
});

liveBusContract(
  redisLabel,
  () => {
    const p = redisProcess(`fd-test-live-${randomBytes(4).toString('hex')}:`);
    return Promise.resolve({ bus: p.bus, cleanup: () => p.stop() });
  },
  { skip: !TEST_REDIS_URL },
);

describe('memory live bus', () => {
  it('lets go of a listener when its subscription closes', async () => {
    const bus = createMemoryLiveBus();
    const a = await bus.subscribe('t1', undefined, () => undefined);
    await bus.subscribe('t1', 'conv_1', () => undefined);
    expect(bus.subscriberCount()).toBe(2);
    await a.close();
    expect(bus.subscriberCount()).toBe(1);
  });
});

describe.skipIf(!TEST_REDIS_URL)(redisLabel, () => {
  const running: { stop(): Promise<void> }[] = [];
  const processOn = (prefix: string) => {
    const p = redisProcess(prefix);
    running.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });

  it('delivers an event published by one process to the subscribers of another', async () => {
    const prefix = `fd-test-live-${randomBytes(4).toString('hex')}:`;
    const one = processOn(prefix);
    const two = processOn(prefix);
    const tenant = uniqueTenant('t');
    const onTwo = new Inbox();
    const onOne = new Inbox();
    await two.bus.subscribe(tenant, 'conv_1', onTwo.listener);
    await one.bus.subscribe(tenant, undefined, onOne.listener);
    const event = liveEvent(tenant, 'conv_1', 'typing', { typing: true });
    await one.bus.publish(event);
    expect(await onTwo.waitFor(1)).toEqual([event]);
    expect(await onOne.waitFor(1)).toEqual([event]);
  });

  it('uses one subscriber connection per process however many tenants and conversations it watches', async () => {
    const p = processOn(`fd-test-live-${randomBytes(4).toString('hex')}:`);
    expect(await clientIds(p.redis, p.connectionName)).toHaveLength(0);
    for (let i = 0; i < 5; i++) {
      await p.bus.subscribe(uniqueTenant('t'), undefined, () => undefined);
      await p.bus.subscribe(uniqueTenant('t'), `conv_${i}`, () => undefined);
    }
    expect(await clientIds(p.redis, p.connectionName)).toHaveLength(1);
  });

  it("subscribes one channel per tenant and releases it with the tenant's last listener", async () => {
    const prefix = `fd-test-live-${randomBytes(4).toString('hex')}:`;
    const p = processOn(prefix);
    const tenant = uniqueTenant('t');
    const subscribers = async () => Number(((await p.redis.pubsub('NUMSUB', prefix + tenant)) as [string, number])[1]);
    const a = await p.bus.subscribe(tenant, 'conv_1', () => undefined);
    const b = await p.bus.subscribe(tenant, 'conv_2', () => undefined);
    const c = await p.bus.subscribe(tenant, undefined, () => undefined);
    expect(await subscribers()).toBe(1);
    await a.close();
    await b.close();
    expect(await subscribers()).toBe(1);
    await c.close();
    expect(await subscribers()).toBe(0);
    expect(p.bus.subscriberCount()).toBe(0);
  });

  it('drops a message on a tenant channel that claims another tenant', async () => {
    const prefix = `fd-test-live-${randomBytes(4).toString('hex')}:`;
    const p = processOn(prefix);
    const tenant = uniqueTenant('t');
    const inbox = new Inbox();
    await p.bus.subscribe(tenant, undefined, inbox.listener);
    await p.redis.publish(prefix + tenant, JSON.stringify(liveEvent(uniqueTenant('other'), 'conv_1')));
    await p.redis.publish(prefix + tenant, 'not json');
    await p.redis.publish(prefix + tenant, JSON.stringify({ ...liveEvent(tenant, 'conv_1'), type: 'unknown.type' }));
    await p.bus.publish(liveEvent(tenant, 'conv_ok'));
    const received = await inbox.waitFor(1);
    await sleep(50);
    expect(received.map((e) => e.conversationId)).toEqual(['conv_ok']);
  });

  it('resubscribes by itself after its subscriber connection is cut', async () => {
    const prefix = `fd-test-live-${randomBytes(4).toString('hex')}:`;
    const p = processOn(prefix);
    const tenant = uniqueTenant('t');
    const inbox = new Inbox();
    await p.bus.subscribe(tenant, 'conv_1', inbox.listener);
    const [id] = await clientIds(p.redis, p.connectionName);
    expect(id).toBeDefined();
    await p.redis.client('KILL', 'ID', id!);
    // Pub/sub keeps no history: what is published while the subscriber reconnects is lost, so publish until one arrives.
    const deadline = Date.now() + 10_000;
    while (inbox.events.length === 0 && Date.now() < deadline) {
      await p.bus.publish(liveEvent(tenant, 'conv_1', 'typing', { after: 'reconnect' }));
      await sleep(50);
    }
    expect(inbox.events[0]?.data).toEqual({ after: 'reconnect' });
    const [newId] = await clientIds(p.redis, p.connectionName);
    expect(newId).toBeDefined();
    expect(newId).not.toBe(id);
  });

  it('closes its subscriber connection on close', async () => {
    const p = redisProcess(`fd-test-live-${randomBytes(4).toString('hex')}:`);
    await p.bus.subscribe(uniqueTenant('t'), undefined, () => undefined);
    expect(await clientIds(p.redis, p.connectionName)).toHaveLength(1);
    await p.bus.close();
    const deadline = Date.now() + 2_000;
    while ((await clientIds(p.redis, p.connectionName)).length > 0 && Date.now() < deadline) await sleep(20);
    expect(await clientIds(p.redis, p.connectionName)).toHaveLength(0);
    await p.redis.quit();
  });
});
