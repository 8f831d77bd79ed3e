/**
 * Words an intent cannot do without. Calling a buyer a support ticket or a job seeker drops
 * them from the pipeline, so these intents must be backed by at least one telling word; the
 * classifier alone, on unfamiliar wording, is not enough. A booking is anchored too: "interested
 * in an estimate" names no time and no booking, so it is a request for whatever the project is,
 * not an appointment.
 */
const ANCHORS: Readonly<Record<string, RegExp>> = {
  order_status:
    /\b(?:orders?|package|parcel|deliver(?:y|ed)?|ship(?:ped|ping|ment)?|tracking|arriv(?:e|ed)|received?)\b/i,
  damaged_product:
    /\b(?:damag\w*|broken|broke|shatter\w*|crack\w*|defect\w*|faulty|scratch\w*|dent\w*|stopped working|not working|wrong (?:item|size)|replacement|return)\b/i,
  billing_issue: /\b(?:charg\w*|bill\w*|invoice\w*|refund\w*|payment|paid|card|receipt|subscription)\b/i,
  technical_support:
    /\b(?:log ?in|password|crash\w*|error|bug|stopped|not working|won'?t|can'?t|app|website|account|sync\w*|inverter|light|glitch|connect\w*|installed)\b/i,
  cancel_service:
    /\b(?:cancel\w*|unsubscribe|terminate|close (?:my|our) account|end (?:our|my) (?:contract|subscription))\b/i,
  cancel_appointment: /\bcancel\w*\b/i,
  appointment_booking:
    /\b(?:book\w*|schedul\w*|appointments?|set up|come (?:out|in|by|over|look)|stop by|availab\w*|visit|consultation|meet\w*|slot|times?|today|tomorrow|tonight|week(?:end)?|mornings?|afternoons?|evenings?|(?:mon|tues|wednes|thurs|fri|satur|sun)days?)\b/i,
  reschedule: /\b(?:reschedul\w*|move|change|push|different (?:time|day)|another (?:time|day))\b/i,
  job_application:
    /\b(?:hir\w*|jobs?|resume|cv|apply|applied|application|position|role|careers?|work for|looking for work|experience)\b/i,
  wrong_number: /\b(?:wrong|number|who is this|is this|someone named|meant to)\b/i,
};

/** How much of an unanchored intent's score survives. */
const UNANCHORED = 0.3;

/** Multiplier for an intent's score given the text: 1, or a penalty when its anchor words are missing. */
export function anchorFactor(intent: string, text: string): number {
  const anchor = ANCHORS[intent];
  return !anchor || anchor.test(text) ? 1 : UNANCHORED;
}
