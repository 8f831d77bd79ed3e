/**
 * Phrases that move a lead's score, grouped by what they say about the buyer. Each detector
 * returns the words it found so reasoning can quote them.
 */

function find(pattern: RegExp, text: string): string | null {
  const match = pattern.exec(text);
  return match ? match[0].toLowerCase().replace(/\s+/g, ' ') : null;
}

function findAll(pattern: RegExp, text: string): string[] {
  return [...new Set([...text.matchAll(pattern)].map((m) => m[0].toLowerCase().replace(/\s+/g, ' ')))];
}

/** The lead asks us to act: quote, visit, demo, showing, contract. */
const COMMITMENT =
  /\b(?:ready to|want(?:s)? to (?:sign|buy|book|schedule|list|move forward|start|make an offer|see)|would (?:like|love) to (?:schedule|book|get|see|set up)|(?:like|love) a (?:quote|bid|demo)|get a (?:quote|bid|estimate)|need a (?:quote|bid|estimate)|quote for|bid on|estimate for|a price for|schedule (?:a|an)\b|book (?:a|an)\b|set up a call|(?:request|see) a demo|demo (?:next|this|on)|sign by|make an offer|see (?:it|the house|homes)|pre-?approved|cash buyer|can close|permits? (?:are |is )?approved|claim(?:'s| is| was| has been)? approved|approved the claim|budget(?:'s| is| has been)? approved|shortlist|evaluating|decid(?:e|ing)|decision by|procurement|contact me|call me|please (?:call|send|have)|have someone|need someone|get someone|send someone|come (?:out|look|today|tomorrow)|can a tech|go-?live|in place by|live by|roll out|want it (?:done|installed)|want to list|need to sell|need it (?:replaced|done|fixed|installed)|get on your schedule|free assessment|yes,? saturday|works for (?:me|us)|can you (?:paint|install|fix|replace|repair|come|send|give me|help)|do you install|please help|who can i (?:talk|speak) to|(?:is it|still) (?:available|on the market)|want to see it|would love to see)\b/gi;

/** The lead says they are not buying yet. */
const STRONG_HEDGE =
  /\b(?:just (?:curious|browsing|wondering|looking around|exploring|checking|gathering|collecting|researching)|gathering ideas|for future reference|not planning to|not (?:ready|sure it'?s for me)|no plans to|starting to explore|just starting)\b/gi;
// "Maybe 12 years old" or "maybe 12 by 16" estimates a figure; it is not doubt about buying.
const WEAK_HEDGE =
  /\b(?:maybe(?!,? (?:\d|a (?:few|couple)\b|about\b|around\b))|might|thinking (?:about|of)|considering|not sure|someday|eventually|down the road|at some point)\b/gi;

/** The sender is not a prospect at all. */
const NON_PROSPECT =
  /\b(?:i'?m a student|student (?:doing|writing|working)|school project|writing a paper|(?:doing|for) (?:a |my )?research|survey|interview someone|thesis)\b/i;
/** Renters cannot put panels on a roof or remodel a kitchen. */
const RENTER = /\b(?:i|we) (?:rent|lease)\b|\b(?:i'?m|we'?re) renting\b|\brent my (?:apartment|place|house)\b/i;
/** A buyer who shops on price alone. */
const PRICE_SHOPPING =
  /\b(?:cheapest|cheap|lowest price|free version|free plan|free trial|tight budget|can'?t afford|on a budget|price match)\b/i;

/** The job cannot wait: something is broken, leaking or unsafe. */
const BREAKDOWN =
  /\b(?:leak(?:ing|s)?|burst|flood(?:ing|ed)?|water everywhere|dripping|overflowing|sparked|sparking|burning smell|smoke|no heat|no ac|not cooling|blowing (?:cold|warm|hot) air|stopped (?:working|cooling|heating)|not working|(?:quit|died|went out) (?:on us|last night|this morning|yesterday|today)|won'?t (?:turn on|cool|heat)|keeps tripping|tripping|backed up|frozen pipes?|blew off|storm damage|hail damage)\b/i;
/** Active, present-tense need ("looking for", "we need"). */
const ACTIVE_NEED =
  /\b(?:looking (?:for|to|at)|we need|i need|need (?:a|an|to)|want to|we want|i want|interested in|in the market|i'?d like|we'?d like|would like)\b/i;

/** People who own what the job is on. */
const OWNER =
  /\b(?:my|our) (?:house|home|property|condo|roof|kitchen|bathroom|backyard|yard|garage|basement|deck|floors?)\b|\bhomeowner\b|\bwe own\b|\bown (?:the|our|my) home\b|\bwe just bought\b|\binherited\b/i;
/** Commercial jobs: bigger, and bought by organisations. */
const COMMERCIAL =
  /\b(?:warehouse|office|church|school|facility|commercial|building|plant|factory|store|restaurant)\b/i;
/** Buying signals specific to a business purchase. */
const ENTERPRISE =
  /\b(?:sso|single sign[- ]on|procurement|enterprise|security review|integration|salesforce|hubspot|api|vp|vice president|director|head of|c[eft]o|regional teams?|emea|apac|rollout|roll out|renewal|contract)\b/i;
/** The lead is ready to go now, with no date needed. */
const READY_NOW =
  /\b(?:ready to (?:go|list|buy|sign|start|move forward)|we'?re ready|it'?s ready|empty and ready|ready now)\b/i;
/** Money already lined up. */
const FINANCED =
  /\b(?:pre-?approved|cash buyer|\d+% down|down payment|budget(?:'s| is| has been)? approved|claim(?:'s| is| was| has been)? approved|approved the claim|insurance (?:is )?(?:covering|paying))\b/i;

export interface Cues {
  commitments: string[];
  strongHedges: string[];
  weakHedges: string[];
  nonProspect: string | null;
  renter: string | null;
  priceShopping: string | null;
  breakdown: string | null;
  activeNeed: string | null;
  owner: string | null;
  commercial: string | null;
  enterprise: string | null;
  financed: string | null;
  readyNow: string | null;
}

export function readCues(text: string): Cues {
  return {
    commitments: findAll(COMMITMENT, text),
    strongHedges: findAll(STRONG_HEDGE, text),
    weakHedges: findAll(WEAK_HEDGE, text),
    nonProspect: find(NON_PROSPECT, text),
    renter: find(RENTER, text),
    priceShopping: find(PRICE_SHOPPING, text),
    breakdown: find(BREAKDOWN, text),
    activeNeed: find(ACTIVE_NEED, text),
    owner: find(OWNER, text),
    commercial: find(COMMERCIAL, text),
    enterprise: find(ENTERPRISE, text),
    financed: find(FINANCED, text),
    readyNow: find(READY_NOW, text),
  };
}
