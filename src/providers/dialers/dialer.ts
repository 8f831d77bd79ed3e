/**
 * One port for every outbound dialer (Twilio, Exotel, the simulator): place a call that plays the
 * campaign's script. A vendor call's outcome arrives later on its status webhook; the simulator
 * answers at once with what its scripted callee did.
 */

/** What the campaign's voice agent says it calls about. */
export interface CallScript {
  clientName: string;
  clientService: string;
  niche: string;
}

export interface DialRequest {
  /** E.164. */
  to: string;
  script: CallScript;
  /** Where the vendor fetches the call's instructions (our TwiML / flow URL). */
  answerUrl: string;
  /** Where the vendor reports the call's progress and end. */
  statusUrl: string;
}

/** How a simulated callee took the call; `lines` are what a person who answered says, turn by turn. */
export interface SimulatedAnswer {
  kind: 'no_answer' | 'busy' | 'voicemail' | 'human';
  lines: string[];
}

export interface DialResult {
  /** The vendor's id of the call (Twilio CallSid, Exotel Sid, `sim_…`). */
  callRef: string;
  /** Only the simulator: the call already happened. */
  simulated?: SimulatedAnswer;
}

/** Thrown when the vendor refused or could not be reached; `retryable` when trying later may help. */
export class DialError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DialError';
  }
}

export interface Dialer {
  readonly name: 'twilio' | 'exotel' | 'simulator';
  dial(request: DialRequest, signal?: AbortSignal): Promise<DialResult>;
}
