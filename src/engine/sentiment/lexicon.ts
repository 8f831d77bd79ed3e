/**
 * A small AFINN-style lexicon (-5…+5) tuned to what front desks hear. General-purpose lexicons
 * miss the words that matter here ("leaking", "damaged", "refund") or score them as neutral.
 */
export const LEXICON: Readonly<Record<string, number>> = {
  // positive
  amazing: 4, awesome: 4, excellent: 4, fantastic: 4, outstanding: 4, wonderful: 4, superb: 4, perfect: 3,
  great: 3, love: 3, loved: 3, lovely: 3, delighted: 3, thrilled: 3, impressed: 3, recommend: 2, recommended: 2,
  good: 2, nice: 2, happy: 2, glad: 2, pleased: 2, excited: 3, exciting: 3, beautiful: 3, helpful: 2, friendly: 2,
  thanks: 2, thank: 2, thankful: 2, grateful: 3, appreciate: 2, appreciated: 2, appreciative: 2,
  interested: 1, interest: 1, ready: 1, eager: 2, looking_forward: 2, best: 2, better: 1, easy: 1, smooth: 1,
  fixed: 1, resolved: 2, works: 1, worked: 1, satisfied: 2, pleasant: 2, professional: 2, reliable: 2, quick: 1,
  fast: 1, dream: 2, fun: 2, enjoy: 2, enjoyed: 2, kind: 2, yes: 1, sure: 1, absolutely: 1, welcome: 1,
  // negative
  bad: -3, terrible: -4, horrible: -4, awful: -4, worst: -4, hate: -4, hated: -4, disgusting: -4, useless: -3,
  angry: -3, furious: -4, upset: -2, annoyed: -2, annoying: -2, frustrated: -3, frustrating: -3, disappointed: -3,
  disappointing: -3, unacceptable: -4, ridiculous: -3, poor: -2, rude: -3, scam: -4, fraud: -4, spam: -2,
  broken: -2, broke: -2, damaged: -2, damage: -2, shattered: -3, cracked: -2, defective: -3, faulty: -3,
  leak: -2, leaking: -2, leaks: -2, leaky: -2, burst: -3, flooding: -3, flooded: -3, dripping: -1, overflowing: -2,
  sparked: -2, sparking: -2, smoke: -2, burning: -2, emergency: -2, urgent: -1, problem: -2, problems: -2,
  issue: -1, issues: -1, error: -2, errors: -2, crash: -2, crashing: -2, crashes: -2, stuck: -2, fail: -2,
  failed: -2, fails: -2, failing: -2, late: -1, delayed: -2, missing: -2, lost: -2, wrong: -2, mistake: -2,
  charged_twice: -3, overcharged: -3, refund: -1, complaint: -2, complain: -2, cancel: -1, cancelled: -1,
  stop: -1, never: -1, unfortunately: -2, sorry: -1, worried: -2, worry: -2, scared: -2, afraid: -2,
  concerned: -1, confusing: -2, confused: -2, difficult: -1, hard: -1, expensive: -1, mess: -2, nightmare: -3,
  waste: -2, wasted: -2, slow: -1, cold: -1, stopped_working: -2, not_working: -2, no_heat: -2,
};

/** Two-word phrases folded into one token before lookup. */
export const PHRASES: readonly [RegExp, string][] = [
  [/\bstopped working\b/gi, 'stopped_working'],
  [/\b(?:not|isn't|isnt|wasn't|aren't|is not|are not|won't|doesn't) (?:be )?working\b/gi, 'not_working'],
  [/\bno heat\b/gi, 'no_heat'],
  [/\bcharged twice\b/gi, 'charged_twice'],
  [/\blooking forward\b/gi, 'looking_forward'],
];

export const NEGATIONS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'none', 'nothing', 'without', 'hardly', 'cannot', "can't", 'cant', "don't", 'dont',
  "doesn't", 'doesnt', "didn't", 'didnt', "isn't", 'isnt', "wasn't", 'wasnt', "won't", 'wont', "aren't",
  "haven't", "hasn't", "couldn't", "wouldn't", "shouldn't",
]);

export const INTENSIFIERS: ReadonlySet<string> = new Set([
  'very', 'really', 'so', 'extremely', 'super', 'totally', 'incredibly', 'absolutely', 'completely', 'seriously',
]);
