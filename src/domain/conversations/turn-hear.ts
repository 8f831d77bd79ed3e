import type { InboundMedia } from './inbound.js';
import type { MessageRecord } from './conversation-record.js';
import type { VoiceNoteTranscriber, VoiceNoteTranscript } from './voice-notes.js';

/** Media without words gets an acknowledgement instead of a dialog turn (there is nothing to understand yet). */
export const ACKNOWLEDGEMENTS: Record<InboundMedia['kind'], string> = {
  image: "Thanks, I've received your photo. Could you tell me a little more about what you need?",
  audio: "Thanks, I've received your voice message. Could you type a short summary so I can help right away?",
  video: "Thanks, I've received your video. Could you tell me a little more about what you need?",
  file: "Thanks, I've received your file. Could you tell me a little more about what you need?",
  location: 'Thanks for sharing your location. How can I help?',
};

/** What the customer said: the text, else the tapped payload, else a voice note's transcript. */
export interface Heard {
  text: string;
  payload: string | undefined;
  transcript: VoiceNoteTranscript | null;
  transcriptionError: string | undefined;
}

/** What the customer said; a voice note without words is transcribed when the tenant can. */
export async function hear(
  transcribe: VoiceNoteTranscriber | undefined,
  tenantId: string,
  inbound: MessageRecord,
): Promise<Heard> {
  const payload = typeof inbound.metadata.payload === 'string' ? inbound.metadata.payload : undefined;
  const heard: Heard = {
    text: inbound.text.trim() || payload || '',
    payload,
    transcript: null,
    transcriptionError: undefined,
  };
  const audio = inbound.media.find((m) => m.kind === 'audio');
  if (heard.text || !audio || !transcribe) return heard;
  try {
    heard.transcript = await transcribe(tenantId, audio);
    heard.text = heard.transcript?.text ?? '';
  } catch (err) {
    // An unreadable voice note is acknowledged like any media; the reason stays on the message.
    heard.transcriptionError = err instanceof Error ? err.message : String(err);
  }
  return heard;
}
