import type { Campaign, CampaignStats, UploadReport } from '../../domain/campaigns/index.js';

/** Spec B's campaign shapes from the campaigns concept's neutral records. */

export function campaignView(c: Campaign) {
  return {
    id: c.id,
    name: c.name,
    niche: c.niche,
    client_name: c.clientName,
    client_service: c.clientService,
    target_cities: c.targetCities,
    target_lead_count: c.targetLeadCount,
    daily_call_limit: c.dailyCallLimit,
    status: c.status,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

/** A share of a whole to two places, as spec B shows rates; 0 when the whole is empty. */
const rate = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100) / 100);

/** The rates are defined in docs/campaigns.md. */
export function campaignStatsView(s: CampaignStats) {
  return {
    id: s.campaign.id,
    name: s.campaign.name,
    status: s.campaign.status,
    leads_scraped: s.sourced,
    leads_called: s.called,
    leads_qualified: s.qualified,
    appointments_booked: s.appointments,
    connection_rate: rate(s.connected, s.called),
    qualification_rate: rate(s.qualified, s.called),
    conversion_rate: rate(s.appointments, s.qualified),
    calls_this_month: s.calls.used,
    monthly_call_quota: s.calls.limit,
    call_quota_reached: s.calls.used >= s.calls.limit,
  };
}

export function uploadReportView(r: UploadReport) {
  return {
    accepted: r.accepted,
    rejected: r.rejected.map((x) => ({ row: x.row, field: x.field, message: x.message })),
  };
}
