import type { SessionTurn } from '../../domain/voice/index.js';

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
