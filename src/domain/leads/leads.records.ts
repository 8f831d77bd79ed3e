import type { AnalysisResult } from '../../engine/analysis.schema.js';
import type { DataMode } from '../actor.js';

export interface Lead {
  id: string;
  email: string | null;
  name: string | null;
  company: string | null;
  phone: string | null;
  source: string;
  status: string;
  score: number | null;
  tier: string | null;
  intent: string | null;
  recommendedAction: string | null;
  analysis: AnalysisResult | null;
  processingTimeMs: number | null;
  qualifiedAt: string | null;
  wonAt: string | null;
  /** The person behind the lead (identity); null when the lead has neither phone nor e-mail. */
  contactId: string | null;
  /** `test` for a lead written under a test key: stored and readable, never counted, exported or announced. */
  mode: DataMode;
  /** Where and in what trade (spec B); null when no channel said. */
  city: string | null;
  niche: string | null;
  category: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Qualification {
  leadId: string;
  created: boolean;
  analysis: AnalysisResult;
  previousScore: number | null;
  processingTimeMs: number;
  createdAt: string;
}

export interface ScoreHistoryEntry {
  score: number;
  tier: string;
  provider: string;
  model: string;
  createdAt: string;
}

/** Who a lead is and where it came from; e-mail and phone find an existing lead and the person's contact. */
export interface LeadIdentity {
  email?: string | undefined;
  phone?: string | undefined;
  name?: string | undefined;
  company?: string | undefined;
  message?: string | undefined;
  source: string;
  metadata?: Record<string, unknown>;
  /** The mode of the request or record that produced the lead. */
  mode: DataMode;
}

/** A lead written but not yet announced: its events and usage wait for the writer's commit. */
export interface RecordedLead extends Omit<Qualification, 'analysis' | 'processingTimeMs'> {
  announce: () => Promise<void>;
}

/** A qualified lead as its events name it. */
export interface AnnouncedLead {
  id: string;
  email: string | null;
  company: string | null;
  name: string | null;
  score: number;
  tier: AnalysisResult['tier'];
  recommendedAction: AnalysisResult['recommended_action'];
}

/** What recording a lead announces: a new lead, a known one scored again, and what enrichment found. */
export type LeadEvent =
  | { type: 'lead.qualified'; lead: AnnouncedLead }
  | { type: 'lead.scored'; lead: AnnouncedLead; previousScore: number | null; previousTier: string | null }
  | { type: 'lead.enriched'; leadId: string; email: string | null; enrichment: AnalysisResult['enrichment'] };
