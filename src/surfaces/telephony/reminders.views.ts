import type { z } from 'zod';
import type { RunReport } from '../../domain/reminders/index.js';
import type { runReport } from './reminders.schemas.js';

/** A run's report in spec C's snake_case. */
export function runReportView(tenantId: string, r: RunReport): z.infer<typeof runReport> {
  return {
    business_id: tenantId,
    kind: r.kind,
    candidates: r.candidates,
    sent: r.sent,
    held: r.held,
    skipped_opted_out: r.skippedOptedOut,
    already_sent: r.alreadySent,
  };
}
