import type { AnalysisResult } from '../../../engine/analysis.schema.js';
import type { TenantAiService } from '../../ai/index.js';
import type { LeadsService } from '../../leads/index.js';
import { payloadOf } from '../records.js';
import type { StepInput, StepOutcome, StepRunner } from '../step.js';
import type { TranscriptOutput } from './speech-to-text.step.js';

type Level = 'low' | 'medium' | 'high';

const level = (v: number): Level => (v >= 0.67 ? 'high' : v >= 0.34 ? 'medium' : 'low');

/** The caller's `decision_stage`, read off the intent and how ready the caller sounds. */
function decisionStage(a: AnalysisResult): string {
  if (a.scoring_breakdown.urgency >= 0.67 && a.scoring_breakdown.intent_signal >= 0.67) return 'decision';
  if (a.scoring_breakdown.intent_signal >= 0.34) return 'evaluation';
  return 'research';
}

function budgetRange(a: AnalysisResult): string | null {
  const r = a.entities.budget_range;
  if (!r) return null;
  return r.min === r.max ? String(r.min) : `${r.min}-${r.max}`;
}

/** The text the call or form gives: our transcript, else CallRail's, else the form's description. */
function textOf(input: StepInput): { text: string; kind: 'transcript' | 'lead' } {
  const stt = input.outputs.speech_to_text as TranscriptOutput | undefined;
  if (stt?.text) return { text: stt.text, kind: 'transcript' };
  const fetched = input.outputs.callrail_api_fetch as { transcript?: string } | undefined;
  if (fetched?.transcript) return { text: fetched.transcript, kind: 'transcript' };
  const payload = payloadOf(input.request) as Record<string, unknown>;
  const description = typeof payload.project_description === 'string' ? payload.project_description : '';
  return { text: description, kind: input.request.source === 'callrail' ? 'transcript' : 'lead' };
}

/** Form fields and CallRail custom fields, read by the engine as hints. */
function fieldsOf(input: StepInput): Record<string, unknown> {
  const payload = payloadOf(input.request) as Record<string, unknown>;
  const custom =
    payload.custom_fields && typeof payload.custom_fields === 'object'
      ? (payload.custom_fields as Record<string, unknown>)
      : {};
  const named = Object.fromEntries(
    ['project_type', 'budget_range', 'timeline', 'source'].flatMap((k) =>
      payload[k] !== undefined ? [[k, payload[k]]] : [],
    ),
  );
  return { ...custom, ...named };
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Who called, as far as the call's data says. */
function identityOf(callData: Record<string, unknown>) {
  return { phone: str(callData.caller_phone), email: str(callData.caller_email), name: str(callData.caller_name) };
}

/** The two stored views of the analysis: the request's summary and the detailed `enrichedData.ai_analysis`. */
function analysisPatch(a: AnalysisResult, text: string, kind: 'transcript' | 'lead', qualified: boolean) {
  const urgency = level(a.scoring_breakdown.urgency);
  const confidence = Math.round(a.intent_confidence * 100) / 100;
  return {
    aiAnalysis: {
      transcript: kind === 'transcript' ? text : null,
      intent: a.intent,
      lead_score: a.score,
      confidence,
      qualified,
      project_details: {
        type: a.entities.project_type,
        budget_indicator: level(a.scoring_breakdown.budget_indicator),
        timeline: a.entities.timeline,
        urgency,
      },
    },
    enrichedData: {
      ...(kind === 'transcript' ? { audio_analysis: { sentiment: a.sentiment } } : {}),
      ai_analysis: {
        intent: a.intent,
        lead_score: a.score,
        confidence,
        reasoning: a.reasoning,
        extracted_entities: {
          project_type: a.entities.project_type,
          timeline: a.entities.timeline,
          budget_range: budgetRange(a),
          square_footage: a.entities.square_footage === null ? null : String(a.entities.square_footage),
          urgency,
          decision_stage: decisionStage(a),
        },
        next_actions: a.next_actions,
        sentiment: a.sentiment,
        tier: a.tier,
        summary: a.summary,
        provider: a.usage.provider,
        model: a.usage.model,
      },
    },
  };
}

/** `ai_analysis`: the tenant's engine on the transcript (or the form), stored in two views; the lead is created or merged. */
export function aiAnalysisStep(deps: { ai: TenantAiService; leads: LeadsService }): StepRunner {
  return async (input): Promise<StepOutcome> => {
    const { text, kind } = textOf(input);
    const identity = identityOf(input.request.callData);
    const { engine, ctx } = await deps.ai.forTenant(input.tenantId);
    const started = performance.now();
    const a = await engine.analyze(
      { kind, text, ...identity, source: input.request.source, fields: fieldsOf(input) },
      ctx,
    );
    const processingTimeMs = Math.round(performance.now() - started);
    const lead = await deps.leads.recordAnalyzed(
      input.tenantId,
      { ...identity, source: input.request.source, message: text.slice(0, 20_000), mode: input.request.mode },
      a,
      processingTimeMs,
    );
    const qualified = a.score >= input.config.ai_config.lead_scoring_threshold;
    const { provider, model } = a.usage;
    return {
      status: 'completed',
      costUsd: a.usage.cost_usd,
      usage: {
        kind: 'tokens',
        provider,
        model,
        inputTokens: a.usage.input_tokens,
        outputTokens: a.usage.output_tokens,
      },
      output: { score: a.score, tier: a.tier, intent: a.intent, lead_id: lead.leadId, qualified, provider, model },
      patch: {
        leadId: lead.leadId,
        leadScore: a.score,
        projectType: a.entities.project_type,
        ...analysisPatch(a, text, kind, qualified),
      },
    };
  };
}
