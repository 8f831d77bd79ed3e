import type { Fetch } from '../../../providers/http/guarded-fetch.js';
import type { SafeHttp } from '../../../providers/http/safe-fetch.js';
import type { Mailer } from '../../../providers/notify/email.js';
import type { SlackNotifier } from '../../../providers/notify/slack.js';
import type { BlobStorage } from '../../../providers/storage/storage.js';
import { DeepgramProvider } from '../../../providers/stt/deepgram.js';
import { OpenAiTranscriptionProvider } from '../../../providers/stt/openai-transcription.js';
import { isPocketsphinxAvailable, PocketsphinxProvider } from '../../../providers/stt/pocketsphinx.js';
import type { SttProvider } from '../../../providers/stt/stt.js';
import type { TenantAiService } from '../../ai/index.js';
import type { CrmService } from '../../crm/index.js';
import type { LeadsService } from '../../leads/index.js';
import type { PipelineConfig, PipelineStep } from '../calls.schema.js';
import type { StepPolicy, StepRunner } from '../step.js';
import { aiAnalysisStep } from './ai-analysis.step.js';
import { audioDownloadStep, type AudioLimits } from './audio-download.step.js';
import { callrailFetchStep } from './callrail-fetch.step.js';
import { crmIntegrationStep } from './crm-integration.step.js';
import { notificationStep } from './notification.step.js';
import { speechToTextStep } from './speech-to-text.step.js';

export interface PipelineStepDeps {
  http: SafeHttp;
  storage: BlobStorage;
  ai: TenantAiService;
  leads: LeadsService;
  crm: CrmService;
  slack: SlackNotifier;
  mailer: Mailer;
  publicBaseUrl: string;
  audio: AudioLimits;
}

/** Tries before a step fails its request; vendor outages get more than local work. */
export const STEP_POLICIES: Record<PipelineStep, StepPolicy> = {
  callrail_api_fetch: { maxAttempts: 5 },
  audio_download: { maxAttempts: 5 },
  speech_to_text: { maxAttempts: 3 },
  ai_analysis: { maxAttempts: 3 },
  crm_integration: { maxAttempts: 5 },
  notification: { maxAttempts: 4 },
};

/**
 * The tenant's transcription chain: its configured vendors in order, calling out through the
 * SSRF-guarded `fetch`, then pocketsphinx when it is installed, so a call is transcribed offline
 * when nothing else is configured or reachable.
 */
export function sttProvidersFor(fetch: Fetch): (config: PipelineConfig) => Promise<SttProvider[]> {
  let local: Promise<boolean> | undefined;
  return async (config) => {
    const providers: SttProvider[] = config.speech_to_text.providers.flatMap((p): SttProvider[] => {
      if (p.kind === 'openai')
        return [
          new OpenAiTranscriptionProvider({
            fetch,
            ...(p.api_key ? { apiKey: p.api_key } : {}),
            ...(p.base_url ? { baseUrl: p.base_url } : {}),
            ...(p.model ? { model: p.model } : {}),
          }),
        ];
      if (p.kind === 'deepgram' && p.api_key)
        return [
          new DeepgramProvider({
            apiKey: p.api_key,
            fetch,
            ...(p.base_url ? { baseUrl: p.base_url } : {}),
            ...(p.model ? { model: p.model } : {}),
          }),
        ];
      return [];
    });
    if (await (local ??= isPocketsphinxAvailable())) providers.push(new PocketsphinxProvider());
    return providers;
  };
}

export function createPipelineSteps(deps: PipelineStepDeps): Record<PipelineStep, StepRunner> {
  return {
    callrail_api_fetch: callrailFetchStep({ http: deps.http }),
    audio_download: audioDownloadStep({ http: deps.http, storage: deps.storage, limits: deps.audio }),
    speech_to_text: speechToTextStep({ storage: deps.storage, providersFor: sttProvidersFor(deps.http.fetch) }),
    ai_analysis: aiAnalysisStep({ ai: deps.ai, leads: deps.leads }),
    crm_integration: crmIntegrationStep({ crm: deps.crm, leads: deps.leads }),
    notification: notificationStep({ slack: deps.slack, mailer: deps.mailer, publicBaseUrl: deps.publicBaseUrl }),
  };
}
