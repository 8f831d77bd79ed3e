import { transcribeWithChain } from '../../providers/stt/chain.js';
import type { SttProvider } from '../../providers/stt/stt.js';
import type { SafeHttp } from '../../providers/http/safe-fetch.js';
import { pipelineConfigSchema, type PipelineConfig } from '../calls/index.js';
import type { TenantsService } from '../tenants/index.js';
import type { InboundMedia } from './inbound.js';

export interface VoiceNoteTranscript {
  text: string;
  provider: string;
  model: string;
  confidence: number;
}

/** Turns a voice message into text with the tenant's speech-to-text chain; null when the tenant has no provider. */
export type VoiceNoteTranscriber = (tenantId: string, media: InboundMedia) => Promise<VoiceNoteTranscript | null>;

/** The largest voice message fetched: OpenAI's upload limit, far above any chat voice note. */
const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 30_000;

/**
 * The same chain a call recording uses (the tenant's `speech_to_text.providers`, then the local
 * decoder when installed). The audio is fetched through the SSRF-guarded client: the URL came
 * from outside.
 */
export function createVoiceNoteTranscriber(deps: {
  http: SafeHttp;
  tenants: Pick<TenantsService, 'getConfigWithSecrets'>;
  providersFor: (config: PipelineConfig) => Promise<SttProvider[]>;
}): VoiceNoteTranscriber {
  return async (tenantId, media) => {
    if (!media.url) return null;
    const config = pipelineConfigSchema.parse(await deps.tenants.getConfigWithSecrets(tenantId));
    const providers = await deps.providersFor(config);
    if (providers.length === 0) return null;
    const res = await deps.http.request(media.url, {
      method: 'GET',
      timeoutMs: DOWNLOAD_TIMEOUT_MS,
      maxResponseBytes: MAX_AUDIO_BYTES,
    });
    if (res.status < 200 || res.status >= 300)
      throw new Error(`the voice message could not be downloaded (HTTP ${res.status})`);
    if (res.truncated) throw new Error(`the voice message is larger than ${MAX_AUDIO_BYTES} bytes`);
    if (res.incomplete) throw new Error(`the voice message download ended after ${res.body.length} bytes`);
    const header = res.headers['content-type'];
    const mimeType = media.mimeType ?? (typeof header === 'string' ? header.split(';')[0]!.trim() : 'audio/ogg');
    const { transcript } = await transcribeWithChain(providers, {
      audio: res.body,
      mimeType,
      fileName: new URL(media.url).pathname.split('/').pop() || 'voice-message',
      ...(config.speech_to_text.language ? { language: config.speech_to_text.language } : {}),
    });
    return {
      text: transcript.text.trim(),
      provider: transcript.provider,
      model: transcript.model,
      confidence: transcript.confidence,
    };
  };
}
