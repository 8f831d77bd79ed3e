import { cliActor } from '../actor.js';
import type { CreatedTenant, TenantsService } from '../tenants/index.js';
import type { PlatformStateRepo } from './platform-state.repo.js';

export const DEMO_TENANT_ID = 'demo';

/**
 * On the first start of an empty installation, creates a demo tenant so the printed curl
 * commands work at once. Runs once per database, even if the demo tenant is later deleted.
 */
export async function ensureDemoTenant(deps: {
  state: PlatformStateRepo;
  tenants: Pick<TenantsService, 'list' | 'create'>;
}): Promise<CreatedTenant | undefined> {
  const { total } = await deps.tenants.list({ limit: 1, offset: 0 });
  if (total > 0) return undefined;
  if (!(await deps.state.setIfAbsent('demo_tenant_created', new Date().toISOString()))) return undefined;
  return deps.tenants.create(cliActor, {
    tenant_id: DEMO_TENANT_ID,
    name: 'Demo Home Services',
    plan: 'pro',
    timezone: 'America/New_York',
    configuration: {
      // Enough for the demo chat to show every path: a booking, an FAQ answer mid-booking, an emergency after hours.
      chatbot: {
        default_greeting: 'Hi! Thanks for contacting Demo Home Services. How can we help?',
        on_call_phone: '+1 555-010-0199',
        knowledge_base: {
          faqs: [
            {
              question: 'Are your estimates free?',
              answer: 'Yes, estimates are free and we usually send them within one business day.',
            },
            {
              question: 'Do you offer financing?',
              answer: 'Yes, projects over $2,000 can be paid over 12 months with no interest.',
            },
            {
              question: 'Which areas do you serve?',
              answer: 'We serve the whole metro area within 30 miles of downtown.',
            },
            {
              question: 'Is your work guaranteed?',
              answer: "Every job carries a two-year workmanship warranty, and parts keep their maker's warranty.",
            },
          ],
        },
      },
      services: [
        { id: 'plumbing', name: 'Plumbing', keywords: ['plumber', 'leak', 'pipe', 'drain', 'water heater', 'toilet'] },
        { id: 'hvac', name: 'Heating & cooling', keywords: ['hvac', 'furnace', 'ac', 'air conditioning', 'heat pump'] },
        { id: 'roofing', name: 'Roofing', keywords: ['roof', 'shingles', 'gutters'] },
        { id: 'electrical', name: 'Electrical', keywords: ['electrician', 'outlet', 'panel', 'wiring'] },
      ],
      business_hours: {
        monday: { start: '08:00', end: '18:00' },
        tuesday: { start: '08:00', end: '18:00' },
        wednesday: { start: '08:00', end: '18:00' },
        thursday: { start: '08:00', end: '18:00' },
        friday: { start: '08:00', end: '17:00' },
        saturday: { closed: true },
        sunday: { closed: true },
      },
      ai_config: { lead_scoring_threshold: 70 },
      notification_config: { high_value_threshold: 80 },
    },
  });
}
