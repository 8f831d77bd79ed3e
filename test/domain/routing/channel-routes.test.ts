import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor, type Actor } from '../../../src/domain/actor.js';
import { AppError } from '../../../src/domain/errors.js';
import { slackAppKey, slackTeamKey } from '../../../src/channels/slack.js';
import { whatsappAccountKey, whatsappPhoneKey } from '../../../src/channels/whatsapp.js';
import { sealSecrets } from '../../../src/domain/tenants/index.js';
import { dialects, insertTenantRow } from '../../helpers/db.js';
import { openTenantServices, type TenantServices } from '../tenants/services.js';

const admin: Actor = { kind: 'admin', id: 'admin', tenantId: null, requestId: 'req_test', mode: 'live' };

describe.each(dialects)('channel routes on $label', ({ dialect, skip }) => {
  let s: TenantServices;
  let n = 0;
  /** Keys unique to this run, so the dialects' tenants never share one. */
  const k = (name: string) => `${name}_${dialect}`;
  const newTenant = async (configuration: Record<string, unknown>) => {
    n += 1;
    return (await s.tenants.create(admin, { name: `T${n}`, tenant_id: `route${n}-${dialect}`, configuration })).tenant;
  };
  const routesOf = (tenantId: string) =>
    s.test.database.db
      .selectFrom('channel_routes')
      .select(['channel', 'external_key'])
      .where('tenant_id', '=', tenantId)
      .orderBy('channel')
      .orderBy('external_key')
      .execute();
  const refusal = async (work: Promise<unknown>) => {
    const err = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  };

  beforeAll(async () => {
    if (!skip) s = await openTenantServices(dialect);
  });
  afterAll(async () => {
    if (!skip) await s.close();
  });

  describe.skipIf(skip)('lookups', () => {
    it('find the tenant by each platform key, and never another tenant by it', async () => {
      const a = await newTenant({
        callrail_company_id: k('CO_A'),
        channels: {
          whatsapp: { phone_number_id: k('PN_A'), app_secret: 'x' },
          messenger: { page_id: k('PAGE_A') },
          slack: { team_id: k('T_A'), app_id: k('A_A') },
          telegram: { secret_token: k('tg_A') },
          teams: { security_token: Buffer.from(k('teams_A')).toString('base64') },
        },
      });
      const b = await newTenant({
        callrail_company_id: k('CO_B'),
        channels: {
          whatsapp: { business_account_id: k('WABA_B') },
          messenger: { page_id: k('PAGE_B') },
          slack: { workspace_id: k('T_B') },
          telegram: { secret_token: k('tg_B') },
        },
      });
      const r = s.routes;
      expect(await r.tenantsFor('whatsapp', [whatsappPhoneKey(k('PN_A'))])).toEqual([a.id]);
      expect(await r.tenantsFor('whatsapp', [whatsappPhoneKey(k('PN_B')), whatsappAccountKey(k('WABA_B'))])).toEqual([
        b.id,
      ]);
      expect(await r.tenantsFor('messenger', [k('PAGE_A')])).toEqual([a.id]);
      expect(await r.tenantsFor('messenger', [k('PAGE_B')])).toEqual([b.id]);
      expect(await r.tenantsFor('slack', [slackAppKey(k('A_A'))])).toEqual([a.id]);
      expect(await r.tenantsFor('slack', [slackTeamKey(k('T_B'))])).toEqual([b.id]);
      expect(await r.tenantsFor('telegram', [r.fingerprint(k('tg_A'))])).toEqual([a.id]);
      expect(await r.tenantsFor('telegram', [r.fingerprint(k('tg_B'))])).toEqual([b.id]);
      expect(await r.tenantsFor('callrail', [k('CO_B')])).toEqual([b.id]);
      expect(await r.tenantsOn('teams')).toContain(a.id);
      expect(await r.tenantsOn('teams')).not.toContain(b.id);
      // A key of one channel does not route on another; a key no tenant has routes nowhere.
      expect(await r.tenantsFor('messenger', [whatsappPhoneKey(k('PN_A'))])).toEqual([]);
      expect(await r.tenantsFor('whatsapp', [whatsappPhoneKey(k('PN_NOBODY'))])).toEqual([]);
      // Secrets are stored only as fingerprints.
      expect(JSON.stringify(await routesOf(a.id))).not.toContain(k('tg_A'));
    });

    it('follow a configuration change: the old key stops routing, the new one routes, a disabled channel routes nothing', async () => {
      const a = await newTenant({
        channels: { whatsapp: { phone_number_id: k('PN_OLD') }, telegram: { secret_token: k('tg_old') } },
      });
      await s.tenants.updateConfig(admin, a.id, {
        channels: { whatsapp: { phone_number_id: k('PN_NEW') }, telegram: { secret_token: k('tg_new') } },
      });
      expect(await s.routes.tenantsFor('whatsapp', [whatsappPhoneKey(k('PN_OLD'))])).toEqual([]);
      expect(await s.routes.tenantsFor('whatsapp', [whatsappPhoneKey(k('PN_NEW'))])).toEqual([a.id]);
      expect(await s.routes.tenantsFor('telegram', [s.routes.fingerprint(k('tg_old'))])).toEqual([]);
      expect(await s.routes.tenantsFor('telegram', [s.routes.fingerprint(k('tg_new'))])).toEqual([a.id]);
      // The freed key is free for another tenant.
      const b = await newTenant({ channels: { whatsapp: { phone_number_id: k('PN_OLD') } } });
      expect(await s.routes.tenantsFor('whatsapp', [whatsappPhoneKey(k('PN_OLD'))])).toEqual([b.id]);
      await s.tenants.updateConfig(admin, a.id, { channels: { whatsapp: { enabled: false } } });
      expect(await s.routes.tenantsFor('whatsapp', [whatsappPhoneKey(k('PN_NEW'))])).toEqual([]);
      expect(await s.routes.tenantsFor('telegram', [s.routes.fingerprint(k('tg_new'))])).toEqual([a.id]);
    });

    it('keep a suspended tenant\'s keys (its webhooks answer "suspended") and drop a deleted tenant\'s', async () => {
      const a = await newTenant({ channels: { messenger: { page_id: k('PAGE_GONE') } } });
      await s.tenants.update(admin, a.id, { status: 'suspended' });
      expect(await s.routes.tenantsFor('messenger', [k('PAGE_GONE')])).toEqual([a.id]);
      await s.tenants.remove(cliActor, a.id);
      expect(await s.routes.tenantsFor('messenger', [k('PAGE_GONE')])).toEqual([]);
      expect(await routesOf(a.id)).toEqual([]);
    });
  });

  describe.skipIf(skip)('a key another tenant holds', () => {
    it('is refused at creation, naming the field, and no tenant is created', async () => {
      const a = await newTenant({ channels: { whatsapp: { phone_number_id: k('PN_HELD') } } });
      const err = await refusal(newTenant({ channels: { whatsapp: { phone_number_id: k('PN_HELD') } } }));
      expect(err.code).toBe('VALIDATION');
      expect(err.fields).toEqual([
        expect.objectContaining({
          field: 'configuration.channels.whatsapp.phone_number_id',
          issue: 'is already used by another tenant',
        }),
      ]);
      // Nothing of the refused tenant stays behind.
      expect(await s.tenants.statusOf(`route${n}-${dialect}`)).toBe('missing');
      expect(await s.routes.tenantsFor('whatsapp', [whatsappPhoneKey(k('PN_HELD'))])).toEqual([a.id]);
    });

    it('is refused on a configuration update, which then changes nothing', async () => {
      const a = await newTenant({ callrail_company_id: k('CO_HELD'), channels: { slack: { team_id: k('T_HELD') } } });
      const b = await newTenant({ channels: { messenger: { page_id: k('PAGE_OF_B') } } });
      const before = await s.tenants.get(b.id);
      const err = await refusal(
        s.tenants.updateConfig(admin, b.id, {
          callrail_company_id: k('CO_HELD'),
          channels: { messenger: { page_id: k('PAGE_B2') }, slack: { workspace_id: k('T_HELD') } },
        }),
      );
      expect(err.code).toBe('VALIDATION');
      expect(err.fields?.map((f) => f.field).sort()).toEqual([
        'configuration.callrail_company_id',
        'configuration.channels.slack.workspace_id',
      ]);
      const after = await s.tenants.get(b.id);
      expect(after.configVersion).toBe(before.configVersion);
      expect(after.config).toEqual(before.config);
      expect(await s.routes.tenantsFor('messenger', [k('PAGE_OF_B')])).toEqual([b.id]);
      expect(await s.routes.tenantsFor('messenger', [k('PAGE_B2')])).toEqual([]);
      expect(await s.routes.tenantsFor('callrail', [k('CO_HELD')])).toEqual([a.id]);
      expect(await s.routes.tenantsFor('slack', [slackTeamKey(k('T_HELD'))])).toEqual([a.id]);
    });

    it('does not stop the holder from saving its own configuration again', async () => {
      const a = await newTenant({ channels: { messenger: { page_id: k('PAGE_MINE') } } });
      const created = (
        await s.test.database.db
          .selectFrom('channel_routes')
          .select('created_at')
          .where('tenant_id', '=', a.id)
          .executeTakeFirstOrThrow()
      ).created_at;
      await s.tenants.updateConfig(admin, a.id, {
        channels: { messenger: { page_id: k('PAGE_MINE'), app_secret: 'new-secret' } },
      });
      expect(await s.routes.tenantsFor('messenger', [k('PAGE_MINE')])).toEqual([a.id]);
      const kept = await s.test.database.db
        .selectFrom('channel_routes')
        .select('created_at')
        .where('tenant_id', '=', a.id)
        .executeTakeFirstOrThrow();
      expect(kept.created_at).toBe(created);
    });
  });

  describe.skipIf(skip)('the start-up reconciliation', () => {
    /** A tenant as an earlier version stored it: configuration row only, secrets sealed, no routes. */
    const storedBefore = async (id: string, config: Record<string, unknown>, createdAt: string) => {
      await insertTenantRow(s.test.database.db, id, {
        config: JSON.stringify(sealSecrets(config, s.box)),
        createdAt: createdAt,
      });
    };

    it('routes tenants configured before the table existed; a key two of them claim stays with the older', async () => {
      const old = `legacy-old-${dialect}`;
      const young = `legacy-young-${dialect}`;
      await storedBefore(
        old,
        {
          callrail_company_id: k('CO_LEGACY'),
          channels: { whatsapp: { phone_number_id: k('PN_LEGACY') }, telegram: { secret_token: k('tg_legacy') } },
        },
        '2020-01-01T00:00:00.000Z',
      );
      await storedBefore(
        young,
        { channels: { whatsapp: { phone_number_id: k('PN_LEGACY') }, messenger: { page_id: k('PAGE_LEGACY') } } },
        '2021-01-01T00:00:00.000Z',
      );
      expect(await s.routes.tenantsFor('callrail', [k('CO_LEGACY')])).toEqual([]);

      const first = await s.tenants.reconcileRoutes();
      expect(first.keysLeftOut).toBe(1);
      expect(await s.routes.tenantsFor('callrail', [k('CO_LEGACY')])).toEqual([old]);
      expect(await s.routes.tenantsFor('telegram', [s.routes.fingerprint(k('tg_legacy'))])).toEqual([old]);
      expect(await s.routes.tenantsFor('whatsapp', [whatsappPhoneKey(k('PN_LEGACY'))])).toEqual([old]);
      expect(await s.routes.tenantsFor('messenger', [k('PAGE_LEGACY')])).toEqual([young]);

      // Again: the same routes, nothing moves.
      const before = await s.test.database.db
        .selectFrom('channel_routes')
        .select(['tenant_id', 'channel', 'external_key', 'created_at'])
        .orderBy('channel')
        .orderBy('external_key')
        .execute();
      expect((await s.tenants.reconcileRoutes()).keysLeftOut).toBe(1);
      const again = await s.test.database.db
        .selectFrom('channel_routes')
        .select(['tenant_id', 'channel', 'external_key', 'created_at'])
        .orderBy('channel')
        .orderBy('external_key')
        .execute();
      expect(again).toEqual(before);

      // The younger tenant learns of the clash on its next save.
      const err = await refusal(s.tenants.updateConfig(admin, young, { general: { currency: 'EUR' } }));
      expect(err.fields).toEqual([
        expect.objectContaining({ field: 'configuration.channels.whatsapp.phone_number_id' }),
      ]);
    });
  });
});
