import type { RequestFilter } from './request-search.repo.js';

/**
 * What the request exports write per request: the request as the ingestion surface shows its
 * details. The surface's views build it from a `CallRequestDetail`; the composition hands the
 * exports that feed. Only the type lives here, because the export job (a domain module) reads it.
 */
export interface RequestDetail {
  request_id: string;
  tenant_id: string;
  source_type: string;
  external_id: string | null;
  status: string;
  created_at: string;
  updated_at: string;
  processed_at: string | null;
  processing_time_ms: number | null;
  call_data: Record<string, unknown>;
  ai_analysis: Record<string, unknown> | null;
  crm_integrations: {
    crm_type: string;
    crm_record_id: string | null;
    status: string;
    sync_time_ms: number | null;
    last_sync_at: string;
  }[];
  error_message: string | null;
  retry_scheduled: boolean;
  retry_at: string | null;
  processing_steps: {
    step: string;
    timestamp: string | null;
    duration_ms: number | null;
    status: string;
    reason?: string;
    error?: string;
  }[];
  original_payload: unknown;
  enriched_data: Record<string, unknown>;
}

/** The exports' source of records: every request created in a range, oldest first, a page at a time. */
export interface RequestExportFeed {
  pages(tenantId: string, range: RequestFilter, pageSize: number): AsyncGenerator<RequestDetail[]>;
}
