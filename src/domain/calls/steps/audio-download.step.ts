import { CallRailClient, CallRailError } from '../../../providers/callrail/callrail-api.js';
import { downloadRecording, RecordingDownloadError } from '../../../providers/callrail/download.js';
import type { SafeHttp } from '../../../providers/http/safe-fetch.js';
import type { BlobStorage } from '../../../providers/storage/storage.js';
import { StepFailure, type StepOutcome, type StepRunner } from '../step.js';
import type { CallRailFetchOutput } from './callrail-fetch.step.js';

/** Where `audio_download` put the recording, for `speech_to_text`. */
export interface AudioOutput {
  storageKey: string;
  contentType: string;
  bytes: number;
}

export interface AudioLimits {
  maxBytes: number;
  timeoutMs: number;
}

const EXTENSIONS: Record<string, string> = {
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/ogg': 'ogg',
  'audio/webm': 'webm',
  'audio/mp4': 'm4a',
};

const isCallRailApiUrl = (url: string) => /^https:\/\/api\.callrail\.com\/v3\/.*\/recording(\.json)?(\?|$)/.test(url);

/** `audio_download`: the recording, capped in size and time, kept in the tenant's storage. */
export function audioDownloadStep(deps: { http: SafeHttp; storage: BlobStorage; limits: AudioLimits }): StepRunner {
  return async (input): Promise<StepOutcome> => {
    const callData = input.request.callData;
    const fetched = input.outputs.callrail_api_fetch as CallRailFetchOutput | undefined;
    let url =
      typeof callData.recording_url === 'string' && callData.recording_url
        ? callData.recording_url
        : fetched?.recording;
    if (!url) return { status: 'skipped', reason: 'the call has no recording' };
    const { api_key: apiKey, api_base_url: baseUrl } = input.config.callrail;
    try {
      // CallRail's `recording` is an API URL answering with the audio's short-lived link.
      if (apiKey && (isCallRailApiUrl(url) || (baseUrl && url.startsWith(baseUrl)))) {
        url = await new CallRailClient({ apiKey, http: deps.http, ...(baseUrl ? { baseUrl } : {}) }).recordingUrl(url);
      }
      const audio = await downloadRecording(url, {
        http: deps.http,
        maxBytes: deps.limits.maxBytes,
        timeoutMs: deps.limits.timeoutMs,
      });
      const contentType = audio.contentType.split(';', 1)[0]!.trim().toLowerCase();
      const ext = EXTENSIONS[contentType] ?? /\.(\w{2,4})(\?|$)/.exec(url)?.[1] ?? 'bin';
      const key = `tenants/${input.tenantId}/recordings/${input.request.id}.${ext}`;
      const stored = await deps.storage.put(key, audio.body, contentType);
      const output: AudioOutput = { storageKey: key, contentType, bytes: stored.bytes };
      return {
        status: 'completed',
        output,
        usage: { kind: 'storage', bytes: stored.bytes },
        patch: { callData: { recording_url: stored.url, recording_source_url: url, recording_bytes: stored.bytes } },
      };
    } catch (err) {
      if (err instanceof RecordingDownloadError)
        throw new StepFailure(`recording download: ${err.message}`, 'AUDIO_DOWNLOAD_ERROR', err.retryable);
      if (err instanceof CallRailError)
        throw new StepFailure(`CallRail recording: ${err.message}`, 'CALLRAIL_API_ERROR', err.retryable);
      throw err;
    }
  };
}
