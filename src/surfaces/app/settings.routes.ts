import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Tenant } from '../../domain/tenants/index.js';
import type { AppDeps } from './services.js';
import { registerChannelSettingsRoutes } from './settings-channels.routes.js';
import { registerKnowledgeRoutes } from './settings-knowledge.routes.js';
import { registerNotificationSettingsRoutes } from './settings-notifications.routes.js';
import { saveSettings, settingsTenant } from './settings-save.js';
import { registerServicesRoutes } from './settings-services.routes.js';

const tags = ['app: settings'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** The configuration's `business_hours` names days in full; the app's shape in three letters. */
const CONFIG_DAY = {
  mon: 'monday',
  tue: 'tuesday',
  wed: 'wednesday',
  thu: 'thursday',
  fri: 'friday',
  sat: 'saturday',
  sun: 'sunday',
} as const;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');
const optionalText = (max: number) => z.string().trim().max(max).nullable();
export const settingsBody = z.object({
  business: z.object({
    name: z.string().trim().min(1).max(200),
    phone: optionalText(30),
    email: optionalText(254),
    timezone: z.string().min(1).max(64),
    address: optionalText(500),
  }),
  hours: z
    .array(z.object({ day: z.enum(DAYS), open: hhmm.nullable(), close: hhmm.nullable() }))
    .max(DAYS.length)
    .refine((hours) => new Set(hours.map((h) => h.day)).size === hours.length, 'names a day twice'),
  /** Dates closed all day in the business's time zone; the list given replaces the one kept. */
  holidays: z
    .array(
      z.object({
        date: z.iso.date({ message: 'must be a date YYYY-MM-DD' }),
        name: optionalText(100),
      }),
    )
    .max(366)
    .refine((list) => new Set(list.map((h) => h.date)).size === list.length, 'names a date twice')
    .optional(),
});
type Settings = z.infer<typeof settingsBody>;

type Section = Record<string, unknown> | undefined;
const text = (section: Section, key: string): string | null => {
  const value = section?.[key];
  return typeof value === 'string' && value.trim() ? value : null;
};

/**
 * The business profile and hours as the app shows them, read from where the assistant reads them:
 * the name it calls itself (`branding.company_name`, else the tenant's name), the number it gives
 * (`chatbot.on_call_phone`), the owner's address for notices (`notifications.owner_email`), the
 * time zone and address (`general`) and `business_hours`.
 */
export function settingsOf(tenant: Tenant): Settings {
  const config = tenant.config as Record<string, Section>;
  const hours = config.business_hours as
    | (Record<string, { start?: string; end?: string; closed?: boolean }> & {
        holidays?: { date: string; name?: string }[];
      })
    | undefined;
  return {
    business: {
      name: text(config.branding, 'company_name') ?? tenant.name,
      phone: text(config.chatbot, 'on_call_phone'),
      email: text(config.notifications, 'owner_email'),
      timezone: text(config.general, 'timezone') ?? tenant.timezone,
      address: text(config.general, 'address'),
    },
    hours: DAYS.map((day) => {
      const d = hours?.[CONFIG_DAY[day]];
      const open = d && !d.closed && d.start && d.end;
      return { day, open: open ? d.start! : null, close: open ? d.end! : null };
    }),
    holidays: [...(hours?.holidays ?? [])]
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((h) => ({ date: h.date, name: h.name ?? null })),
  };
}

/** The configuration patch that writes `settings`; an emptied field is removed (`null`). */
function configPatchOf(settings: Settings): Record<string, unknown> {
  const b = settings.business;
  const orNull = (v: string | null) => (v && v.trim() ? v.trim() : null);
  const hours = Object.fromEntries(
    settings.hours.map((h) => [
      CONFIG_DAY[h.day],
      h.open && h.close ? { start: h.open, end: h.close, closed: false } : { closed: true },
    ]),
  );
  const holidays = settings.holidays?.map((h) =>
    h.name?.trim() ? { date: h.date, name: h.name.trim() } : { date: h.date },
  );
  const businessHours = { ...hours, ...(holidays ? { holidays } : {}) };
  return {
    branding: { company_name: b.name },
    chatbot: { on_call_phone: orNull(b.phone) },
    notifications: { owner_email: orNull(b.email) },
    general: { timezone: b.timezone, address: orNull(b.address) },
    ...(Object.keys(businessHours).length > 0 ? { business_hours: businessHours } : {}),
  };
}

/** The settings page's routes, each section's too: everyone with `settings:read` reads, owners and admins write. */
export function registerSettingsRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const docs = {
    ok: { 200: '`{ data: { business, hours, holidays } }`' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'] as const,
  };
  app.get(
    '/app/api/settings',
    {
      schema: {
        tags,
        summary: 'The business profile, opening hours and holidays',
        description:
          'Every day of the week, Monday first; a closed day has no times. Holidays are dates closed all day, read in `business.timezone`.',
        docs,
      },
      config: { appSession: 'required' },
    },
    async (request) => ({ data: settingsOf(await settingsTenant(request, deps)) }),
  );
  app.patch(
    '/app/api/settings',
    {
      schema: {
        body: settingsBody,
        tags,
        summary: 'Change the business profile, opening hours and holidays',
        description:
          'The whole profile and the days given; a day without both times is closed. `holidays`, when given, replaces the list.',
        docs: {
          ...docs,
          example: {
            business: {
              name: 'Harbour Dental',
              phone: '+1 415 555 0100',
              email: 'desk@harbourdental.example',
              timezone: 'America/Los_Angeles',
              address: '12 Quay Street',
            },
            hours: [{ day: 'sun', open: null, close: null }],
            holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
          },
        },
      },
      config: { appSession: 'required' },
    },
    async (request) => ({ data: settingsOf(await saveSettings(request, deps, () => configPatchOf(request.body))) }),
  );
  registerServicesRoutes(scope, deps);
  registerKnowledgeRoutes(scope, deps);
  registerChannelSettingsRoutes(scope, deps);
  registerNotificationSettingsRoutes(scope, deps);
}
