import type { AnalysisResult } from '../../engine/analysis.schema.js';
import { newId } from '../../lib/ids.js';
import { normalisePhone } from '../identity/index.js';
import { leadAnnouncement } from './lead-events.js';
import type { Lead, LeadIdentity, RecordedLead } from './leads.records.js';
import type { LeadQualification, LeadsTx } from './leads.repo.js';
import type { LeadsPorts } from './leads.ports.js';

/** A lead's keys as leads are stored: e-mail lower-cased, phone in E.164 when it parses (else as given). */
export function leadKeys(email: string | undefined, phone: string | undefined) {
  return { email: email?.trim().toLowerCase(), phone: phone ? (normalisePhone(phone) ?? phone) : undefined };
}

/**
 * A lead found by phone alone is this lead only when identity says it is the same person: a
 * shared phone with a different e-mail is someone else (their own contact), never their lead.
 */
function samePerson(found: Lead | undefined, lead: LeadIdentity, contactId: string | undefined): Lead | undefined {
  if (!found) return undefined;
  if (found.contactId && contactId) return found.contactId === contactId ? found : undefined;
  return found.email && lead.email && found.email !== lead.email ? undefined : found;
}

/**
 * Creates the lead or updates the one with the same e-mail (else the same phone, when the same person), attaches it to
 * the contact its phone or e-mail names, and adds to its score history, all in `tx`. Its events
 * wait in `announce` for the caller's commit.
 */
export async function writeLead(
  ports: LeadsPorts,
  tx: LeadsTx,
  tenantId: string,
  lead: LeadIdentity,
  analysis: AnalysisResult,
  processingTimeMs: number,
): Promise<RecordedLead> {
  const repo = ports.repo.within(tx);
  const at = ports.clock.now().toISOString();
  const contact = await ports.identity.resolveByKeys(
    tenantId,
    { phone: lead.phone, email: lead.email, name: lead.name },
    tx,
  );
  const q: LeadQualification = {
    name: lead.name,
    company: lead.company,
    phone: lead.phone,
    message: lead.message ?? null,
    source: lead.source,
    metadata: lead.metadata ?? {},
    analysis,
    processingTimeMs,
    contactId: contact?.id,
    at,
  };
  const find = async () =>
    (lead.email ? await repo.findByEmail(tenantId, lead.mode, lead.email) : undefined) ??
    samePerson(lead.phone ? await repo.findByPhone(tenantId, lead.mode, lead.phone) : undefined, lead, contact?.id);
  let existing = await find();
  const newLeadId = newId('lead');
  if (!existing && !(await repo.insert(tenantId, { ...q, id: newLeadId, email: lead.email ?? null, mode: lead.mode })))
    existing = await find();
  const leadId = existing?.id ?? newLeadId;
  if (existing) await repo.requalify(tenantId, leadId, q, lead.email && !existing.email ? lead.email : undefined);
  await repo.insertScore(tenantId, { id: newId('score'), leadId, analysis, at });
  return {
    leadId,
    created: !existing,
    previousScore: existing?.score ?? null,
    createdAt: existing?.createdAt ?? at,
    announce: await leadAnnouncement(ports, tx, tenantId, leadId, lead, existing, analysis),
  };
}
