/**
 * Intent evidence the classifier cannot see in a bag of words: links and scam phrases, job
 * seekers, wrong numbers, customers of an installed system. Returned as score boosts.
 */

interface Rule {
  intent: string;
  pattern: RegExp;
  /** Added per distinct phrase found, up to `max`. */
  each: number;
  max: number;
}

const RULES: readonly Rule[] = [
  {
    intent: 'spam',
    pattern:
      /https?:\/\/\S+|\bbit\.ly\b|\bclick here\b|\bcongratulations\b|\byou(?:'ve| have) (?:been selected|won)\b|\bgift card\b|\bguaranteed\b|\bcrypto\b|\bbitcoin\b|\bseo\b|\brank your (?:website|site)\b|\bbacklinks\b|\bno credit check\b|\bmerchant cash advance\b|\bsame day funding\b|\bpress 1\b|\blimited time\b|\bwhatsapp me\b|\bwe help (?:\w+ )?(?:companies|businesses)\b|\bqualified meetings\b|\b15 minutes with\b|\bwill be suspended\b/gi,
    each: 0.25,
    max: 0.6,
  },
  // Keyboard mashing and "test test": a form filled in by someone trying it out.
  // Each word starts with its own letters and the separators are never word characters, so a text is
  // read one way only: a mashed line that ends in "#" fails in one pass instead of trying every split.
  {
    intent: 'spam',
    pattern:
      /^[\s.!]*(?:(?:(?:test(?:ing)?)+(?:(?:asdf|qwer|sdfg|hjkl)\w*)?|(?:asdf|qwer|sdfg|hjkl)\w*|lorem ipsum)(?:[\s.!]+|$))+$/gi,
    each: 0.7,
    max: 0.7,
  },
  {
    intent: 'job_application',
    pattern:
      /\b(?:are you hiring|hiring for|my resume|resume is attached|apply for the|applied for the|(?:looking for|need|want) (?:a )?job\b|summer job\b|looking for work|job opening|the \w+ position|my application|career opportunit)/gi,
    each: 0.25,
    max: 0.5,
  },
  {
    intent: 'wrong_number',
    pattern:
      /\bwrong number\b|\bis this (?:the )?(?:dr\.?|doctor)|\bdialed the wrong\b|\blooking for someone named\b|\bgave me this number\b/gi,
    each: 0.35,
    max: 0.6,
  },
  {
    intent: 'technical_support',
    pattern:
      /\byou installed\b|\binstalled (?:them|it) in\b|\bstopped producing\b|\bshows? (?:a|an) (?:red|error)\b|\bkeeps crashing\b|\bcan'?t log in\b/gi,
    each: 0.25,
    max: 0.4,
  },
  {
    intent: 'demo_request',
    pattern: /\b(?:book|schedule|see|get|request|set up|arrange) (?:a |the |an? live )?(?:product )?demo\b/gi,
    each: 0.4,
    max: 0.4,
  },
  {
    // Pricing a number of seats is a price question however the rest of a call wanders.
    intent: 'pricing_inquiry',
    pattern:
      /\b(?:pricing|prices?|a quote|quote|cost) (?:for|on) (?:\d[\d,]*|a team of \d+) (?:seats|licen[cs]es|users)\b|\bper (?:seat|user|licen[cs]e)\b|\b(?:volume|bulk) (?:pricing|discounts?)\b/gi,
    each: 0.3,
    max: 0.3,
  },
  {
    intent: 'human_agent',
    pattern:
      /\b(?:speak|talk) (?:to|with) (?:a |the |an? )?(?:manager|supervisor|human|person|real person|representative|agent)\b/gi,
    each: 0.3,
    max: 0.3,
  },
  {
    // Students and researchers name services without wanting one.
    intent: 'unknown',
    pattern:
      /\b(?:i'?m a student|writing a (?:paper|thesis)|school project|for (?:a|my) class|conducting a survey|interview someone)\b/gi,
    each: 0.5,
    max: 0.5,
  },
  {
    // Asking what a house is worth while planning to sell is a seller, not a valuation.
    intent: 'sell_home',
    pattern:
      /\b(?:thinking (?:about|of) (?:selling|downsizing)|plan(?:ning)? to sell|want to sell|need to sell|downsizing)\b/gi,
    each: 0.25,
    max: 0.25,
  },
];

/** Intents whose evidence means the sender is not buying, so catalogue keywords must not pull towards a sale. */
export const SUPPORT_EVIDENCE = new Set(['technical_support', 'spam', 'job_application', 'wrong_number', 'unknown']);

export function intentEvidence(text: string): Record<string, number> {
  const boosts: Record<string, number> = {};
  for (const rule of RULES) {
    const found = new Set([...text.matchAll(rule.pattern)].map((m) => m[0].toLowerCase()));
    if (found.size === 0) continue;
    boosts[rule.intent] = Math.min(rule.max, (boosts[rule.intent] ?? 0) + found.size * rule.each);
  }
  return boosts;
}
