import { newId } from '../../lib/ids.js';
import type { DataMode } from '../actor.js';
import { AppError, notFound } from '../errors.js';
import { planLimits, type Plan } from '../tenants/index.js';
import { METRICS, monthOf } from '../usage/index.js';
import type { LeadDirectoryRepo, LeadFieldsPatch, LeadFilter } from './lead-directory.repo.js';
import type { Actor } from '../actor.js';
import { announceStatusEdit, leadAnnouncement } from './lead-events.js';
import type { Lead, LeadIdentity } from './leads.records.js';
import type { LeadsPorts } from './leads.ports.js';
import type { LeadStatus, ListedLeadInput } from './leads.schema.js';
import { leadKeys } from './record-lead.js';

/** What the directory use cases work with. */
export interface LeadDirectoryPorts extends LeadsPorts {
  directory: LeadDirectoryRepo;
}

/** An edit of a lead's details or status; `null` clears a field. */
export interface LeadEdit {
  company_name?: string | null | undefined;
  contact_name?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | undefined;
  city?: string | null | undefined;
  category?: string | null | undefined;
  niche?: string | null | undefined;
  status?: LeadStatus | undefined;
}

/** The lead holding the key is named when it can be read back (a concurrent delete may have taken it). */
const duplicate = (field: 'phone' | 'email', leadId: string | undefined): AppError =>
  new AppError('CONFLICT', `A lead with this ${field} already exists`, {
    fields: [
      {
        field,
        issue: leadId ? `already belongs to lead ${leadId}` : 'already belongs to another lead',
        type: 'duplicate',
      },
    ],
    details: leadId ? { lead_id: leadId } : {},
  });

/** Refuses a new lead once the month's created leads reach the plan's quota (every channel counts toward it). */
async function ensureLeadQuota(ports: LeadDirectoryPorts, tenantId: string, plan: Plan): Promise<void> {
  const limit = planLimits[plan].leadsPerMonth;
  const now = ports.clock.now();
  const used = (await ports.usage.get(tenantId, monthOf(now)))[METRICS.leadsCreated] ?? 0;
  if (used < limit) return;
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  throw new AppError('QUOTA_EXCEEDED', `Monthly lead quota of the ${plan} plan reached (${limit} leads)`, {
    details: { quota: 'leads', limit, used, plan, resets_at: next.toISOString() },
    retryAfterSeconds: Math.max(1, Math.ceil((next.getTime() - now.getTime()) / 1000)),
  });
}

async function refuseTaken(
  ports: LeadsPorts,
  tenantId: string,
  mode: DataMode,
  phone: string | undefined,
  email: string | undefined,
): Promise<void> {
  const byPhone = phone ? await ports.repo.findByPhone(tenantId, mode, phone) : undefined;
  if (byPhone) throw duplicate('phone', byPhone.id);
  const byEmail = email ? await ports.repo.findByEmail(tenantId, mode, email) : undefined;
  if (byEmail) throw duplicate('email', byEmail.id);
}

/** Scores the new lead with the tenant's engine and stores it with its contact; one lead per phone and per e-mail. */
export async function createListedLead(
  ports: LeadDirectoryPorts,
  tenantId: string,
  mode: DataMode,
  plan: Plan,
  input: ListedLeadInput,
): Promise<Lead> {
  await ensureLeadQuota(ports, tenantId, plan);
  const { email, phone } = leadKeys(input.email, input.phone);
  const place = { city: input.city, niche: input.niche, category: input.category };
  // Refused before scoring, so a duplicate spends no model call; the transaction checks again for a racing create.
  await refuseTaken(ports, tenantId, mode, phone, email);
  const { engine, ctx } = await ports.ai.forTenant(tenantId);
  const started = performance.now();
  const analysis = await engine.analyze(
    {
      kind: 'lead',
      text: '',
      email,
      phone,
      name: input.contact_name,
      company: input.company_name,
      source: 'api',
      fields: place,
    },
    ctx,
  );
  const processingTimeMs = Math.round(performance.now() - started);
  const lead: LeadIdentity = {
    email,
    phone,
    name: input.contact_name,
    company: input.company_name,
    source: 'api',
    mode,
  };
  const id = newId('lead');
  const announce = await ports.repo.transaction(async (tx) => {
    const repo = ports.repo.within(tx);
    const byPhone = phone ? await repo.findByPhone(tenantId, mode, phone) : undefined;
    if (byPhone) throw duplicate('phone', byPhone.id);
    const contact = await ports.identity.resolveByKeys(tenantId, { phone, email, name: input.contact_name }, tx);
    const at = ports.clock.now().toISOString();
    const row = { ...lead, message: null, metadata: {}, analysis, processingTimeMs, contactId: contact?.id, at };
    if (!(await repo.insert(tenantId, { ...row, id, email: email ?? null, place }))) {
      const byEmail = email ? await repo.findByEmail(tenantId, mode, email) : undefined;
      throw duplicate('email', byEmail?.id);
    }
    await repo.insertScore(tenantId, { id: newId('score'), leadId: id, analysis, at });
    return leadAnnouncement(ports, tx, tenantId, id, lead, undefined, analysis);
  });
  await announce();
  return loadLead(ports, tenantId, id);
}

async function loadLead(ports: LeadsPorts, tenantId: string, id: string): Promise<Lead> {
  const lead = await ports.repo.findById(tenantId, id);
  if (!lead) throw notFound('lead', id);
  return lead;
}

/** Edits a lead; a new phone or e-mail must be free and re-attaches the lead to the person it names. */
export async function editListedLead(
  ports: LeadDirectoryPorts,
  actor: Actor,
  tenantId: string,
  id: string,
  edit: LeadEdit,
): Promise<Lead> {
  const current = await loadLead(ports, tenantId, id);
  const { email, phone } = leadKeys(edit.email ?? undefined, edit.phone);
  const at = ports.clock.now().toISOString();
  await ports.repo.transaction(async (tx) => {
    const repo = ports.repo.within(tx);
    const byPhone =
      phone && phone !== current.phone ? await repo.findByPhone(tenantId, current.mode, phone) : undefined;
    if (byPhone && byPhone.id !== id) throw duplicate('phone', byPhone.id);
    const rekeyed = (phone && phone !== current.phone) || (email && email !== current.email);
    const contact = rekeyed
      ? await ports.identity.resolveByKeys(
          tenantId,
          { phone: phone ?? current.phone ?? undefined, email: email ?? current.email ?? undefined },
          tx,
        )
      : undefined;
    const patch: LeadFieldsPatch = {
      name: edit.contact_name,
      company: edit.company_name,
      email: edit.email === null ? null : email,
      phone,
      city: edit.city,
      niche: edit.niche,
      category: edit.category,
      status: edit.status,
      ...(edit.status ? { wonAt: edit.status === 'won' ? (current.wonAt ?? at) : null } : {}),
      ...(contact ? { contactId: contact.id } : {}),
    };
    if (!(await ports.directory.within(tx).update(tenantId, id, patch, at))) {
      const byEmail = email ? await repo.findByEmail(tenantId, current.mode, email) : undefined;
      throw duplicate('email', byEmail?.id);
    }
  });
  const edited = await loadLead(ports, tenantId, id);
  await announceStatusEdit(ports, actor, tenantId, current, edited);
  return edited;
}

export async function removeListedLead(ports: LeadDirectoryPorts, tenantId: string, id: string): Promise<void> {
  if (!(await ports.directory.remove(tenantId, id))) throw notFound('lead', id);
}

export function listLeads(
  ports: LeadDirectoryPorts,
  tenantId: string,
  filter: LeadFilter,
): Promise<{ leads: Lead[]; total: number }> {
  return ports.directory.list(tenantId, filter);
}
