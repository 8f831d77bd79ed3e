/**
 * Whether a message reports harm happening now, which cannot wait for opening hours: water
 * where it should not be, gas or fire, a home without heat, storm damage open to the weather,
 * severe pain or injury, a poisoned or injured animal. Read as kinds of danger, so a question
 * *about* emergency service ("do you offer 24/7 emergency service?") is not one.
 */

const DANGERS: RegExp[] = [
  // Water escaping: burst, flooding, pouring or coming through a ceiling or wall.
  /\b(?:burst|broken)\s+(?:pipe|main|water\s+line)|\b(?:pipe|main|water\s+line)s?\s+(?:has\s+|have\s+|just\s+)?burst|\bflood(?:ed|ing)?\b|\bsewage\b|\bsewer\s+(?:is\s+)?backing\s+up|\bwater\s+(?:is\s+)?(?:pouring|gushing|spraying|everywhere|coming\s+(?:in|through|out))|\b(?:pouring|gushing|leaking|dripping)\s+(?:in\s+)?through\s+(?:the\s+|my\s+|our\s+)?(?:ceiling|roof|wall)/i,
  // Gas, smoke, fire, sparks.
  /\b(?:smell(?:s|ing)?\s+(?:of\s+)?gas|gas\s+(?:leak|smell)|carbon\s+monoxide|co\s+alarm|smoke\s+(?:is\s+)?coming|on\s+fire|caught\s+fire|burning\s+smell)\b/i,
  // No heat (or cooling) in the house.
  /\b(?:no|without)\s+(?:heat|heating)\b|\b(?:furnace|boiler|heater|heat)\s+(?:is\s+|has\s+)?(?:died|quit|stopped|out|went\s+out|broke|broken)\b|\bfreezing\s+(?:in\s+)?(?:the\s+)?(?:house|home)\b|\b(?:house|home)\s+is\s+freezing\b/i,
  // The weather getting in: something through the roof, rain coming inside.
  /\b(?:tree|branch|limb)\s+(?:fell|came|went|is)\s+(?:on|through|into)\b|\brain\s+(?:is\s+)?(?:coming|pouring|getting)\s+in|\bhole\s+in\s+(?:the\s+|our\s+|my\s+)?roof\b|\broof\s+(?:caved|collapsed)/i,
  // Severe pain, swelling, bleeding, a knocked-out tooth.
  /\b(?:severe|unbearable|excruciating)\s+pain\b|\b(?:is\s+)?killing\s+me\b|\b(?:face|jaw|gum|cheek)\s+(?:is\s+)?swollen\b|\bswelling\b|\bwon'?t\s+stop\s+bleeding|\bbleeding\s+(?:a\s+lot|heavily)|\bknocked\s+out\b|\bcan'?t\s+breathe\b/i,
  // An animal that ate something toxic or is hurt.
  /\b(?:ate|eaten|swallowed|got\s+into)\s+(?:a\s+|an\s+|some\s+|the\s+|a\s+whole\s+(?:bar|bag|box)\s+of\s+)?(?:\w+\s+)?(?:chocolate|grapes|raisins|xylitol|poison|rat\s+bait|antifreeze|medication|pills)\b|\b(?:hit\s+by\s+a\s+car|having\s+(?:a\s+)?seizures?)\b/i,
];

export function reportsEmergency(text: string): boolean {
  const t = text.replace(/’/g, "'");
  return DANGERS.some((danger) => danger.test(t));
}
