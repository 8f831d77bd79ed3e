import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.js';
import { createSessionsModule, type SessionsService } from '../../../src/domain/sessions/index.js';
import { dialects, openTestDatabase, type TestDatabase, insertTenantRow } from '../../helpers/db.js';

const T0 = new Date('2025-06-01T10:00:00.000Z');

async function seedTenants(tdb: TestDatabase): Promise<void> {
  for (const id of ['tenant_a', 'tenant_b'])
    await insertTenantRow(tdb.database.db, id, { createdAt: T0.toISOString() });
}

describe.each(dialects)('sessions module on $label', ({ dialect, skip }) => {
  let tdb: TestDatabase;
  let sessions: SessionsService;
  const now = { at: T0 };

  beforeAll(async () => {
    if (skip) return;
    tdb = await openTestDatabase(dialect);
    await seedTenants(tdb);
    sessions = createSessionsModule({ db: tdb.database.db, clock: { now: () => now.at } }).sessions;
  });
  afterAll(async () => {
    if (!skip) await tdb.drop();
  });

  it.skipIf(skip)('keeps context and history, and derives pages and interests from them', async () => {
    const { session, sessionToken } = await sessions.create('tenant_a', {
      channel: 'web',
      userId: 'visitor_1',
      initialContext: { page_url: 'https://shop.test/products/widget-pro' },
      timeoutMinutes: 30,
      enableContextPersistence: true,
      mode: 'live',
    });
    expect(session.context).toMatchObject({ product_interest: 'widget-pro', visitor_type: 'new' });
    expect(await sessions.verifyToken('tenant_a', session.id, sessionToken)).toBe(true);
    const change = await sessions.updateContext('tenant_a', session.id, {
      contextUpdates: { cart: { items: 2 } },
      appendToHistory: { page_visits: 'https://shop.test/cart' },
    });
    expect(change.updatedFields).toEqual(['cart']);
    expect(change.context).toMatchObject({
      cart: { items: 2 },
      pages_visited: ['https://shop.test/products/widget-pro', 'https://shop.test/cart'],
    });
  });

  it.skipIf(skip)('refuses changes once the session expired, and ending wipes a context not kept', async () => {
    const { session } = await sessions.create('tenant_a', {
      channel: 'web',
      initialContext: { secret: 'x' },
      timeoutMinutes: 5,
      enableContextPersistence: false,
      mode: 'live',
    });
    const ended = await sessions.end('tenant_a', session.id);
    expect(ended.status).toBe('ended');
    expect(ended.context.secret).toBeUndefined();
    const { session: short } = await sessions.create('tenant_a', {
      channel: 'web',
      timeoutMinutes: 5,
      enableContextPersistence: true,
      mode: 'live',
    });
    now.at = new Date(T0.getTime() + 6 * 60_000);
    await expect(sessions.extend('tenant_a', short.id, 10, undefined)).rejects.toMatchObject({ code: 'GONE' });
    now.at = T0;
  });

  it.skipIf(skip)("answers NOT_FOUND for another tenant's session, for reads and changes alike", async () => {
    const { session } = await sessions.create('tenant_a', {
      channel: 'web',
      timeoutMinutes: 30,
      enableContextPersistence: true,
      mode: 'live',
    });
    const notFound = (p: Promise<unknown>) =>
      expect(p).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND');
    await notFound(sessions.get('tenant_b', session.id));
    await notFound(sessions.update('tenant_b', session.id, { userId: 'intruder' }));
    await notFound(sessions.end('tenant_b', session.id));
    expect((await sessions.get('tenant_a', session.id)).status).toBe('active');
  });
});
