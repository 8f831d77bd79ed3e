import { dialogConfigFrom } from '../../domain/ai/index.js';
import type { Tenant } from '../../domain/tenants/index.js';
import type { SessionTurn } from '../../domain/voice/index.js';

/** The widget's colour when the tenant's branding names none. */
const WIDGET_COLOR = '#2563eb';

/** Spec C's voice turn: the reply, the dialog's state, and the reply spoken (or why it is not). */
export function sessionTurnView(turn: SessionTurn) {
  return {
    reply_text: turn.replyText,
    session_state: {
      conversation_stage: turn.state.conversation_stage,
      current_intent: turn.state.current_intent,
      next_expected_input: turn.state.next_expected_input,
      entities: turn.state.entities,
      collected: Object.fromEntries(
        Object.entries(turn.state.collected).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ),
      conversation_status: turn.conversationStatus,
    },
    audio: turn.speech.wav ? turn.speech.wav.toString('base64') : null,
    audio_unavailable_reason: turn.speech.wav ? null : turn.speech.unavailable,
  };
}

/** `/telephony/inbound`: the new call's session and its greeting turn. */
export function inboundCallView(turn: SessionTurn) {
  return { session_id: turn.sessionId, ...sessionTurnView(turn) };
}

export function endedSessionView(sessionId: string) {
  return { status: `ended:${sessionId}` };
}

/** What the web widget shows before the first turn: the name and greeting the dialog uses, in the brand's colour. */
export function widgetConfigView(tenant: Tenant) {
  const dialog = dialogConfigFrom(tenant);
  return {
    title: dialog.companyName,
    greeting: dialog.greeting,
    color: tenant.config.branding?.primary_color ?? WIDGET_COLOR,
  };
}
