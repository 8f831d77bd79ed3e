import { isKnownIntent, type IntentId } from '../nlu/intents.js';

/** One thing a business sells, as the engine matches it in text. */
export interface ServiceEntry {
  id: string;
  label: string;
  /** Intents a request for this service expresses. */
  intents: readonly IntentId[];
  /** Words and phrases that name the service; a longer phrase is stronger evidence. */
  keywords: readonly string[];
  /** What a typical job costs in whole currency units, to judge a stated budget against. */
  typicalCost: number | null;
}

/**
 * The built-in catalogue: what a front desk for home services, real estate or solar hears.
 * Tenants add their own services (ctx.services); a tenant service with the same id inherits
 * these keywords and costs.
 */
export const DEFAULT_SERVICES: readonly ServiceEntry[] = [
  {
    id: 'kitchen_remodel',
    label: 'kitchen remodel',
    intents: ['kitchen_remodel'],
    typicalCost: 25_000,
    keywords: [
      'kitchen',
      'kitchen remodel',
      'kitchen renovation',
      'cabinets',
      'cabinet',
      'countertop',
      'countertops',
      'backsplash',
      'kitchen island',
    ],
  },
  {
    id: 'bathroom_remodel',
    label: 'bathroom remodel',
    intents: ['bathroom_remodel'],
    typicalCost: 12_000,
    keywords: [
      'bathroom',
      'bathroom remodel',
      'bath remodel',
      'master bath',
      'guest bath',
      'walk in shower',
      'walk-in shower',
      'bathtub',
      'tub',
      'vanity',
    ],
  },
  {
    id: 'roofing',
    label: 'roofing',
    intents: ['roofing'],
    typicalCost: 10_000,
    keywords: [
      'roof',
      'roofing',
      'roofer',
      'shingle',
      'shingles',
      'reroof',
      'gutters',
      'roof leak',
      'roof is leaking',
      'leaking roof',
      'hail damage',
    ],
  },
  {
    id: 'hvac_repair',
    label: 'HVAC',
    intents: ['hvac_repair'],
    typicalCost: 6_000,
    keywords: [
      'hvac',
      'ac',
      'a/c',
      'air conditioner',
      'air conditioning',
      'ac unit',
      'furnace',
      'heat pump',
      'heater',
      'thermostat',
      'mini split',
      'ductwork',
      'central air',
      'blowing cold air',
      'not cooling',
      'no heat',
    ],
  },
  {
    id: 'plumbing',
    label: 'plumbing',
    intents: ['plumbing'],
    typicalCost: 1_500,
    keywords: [
      'plumber',
      'plumbing',
      'pipe',
      'pipes',
      'burst pipe',
      'water heater',
      'toilet',
      'drain',
      'faucet',
      'sink',
      'sewer',
      'sump pump',
      'water line',
      'leak',
      'leaking',
      'dripping',
      'water everywhere',
      'tankless',
    ],
  },
  {
    id: 'electrical',
    label: 'electrical',
    intents: ['electrical'],
    typicalCost: 2_000,
    keywords: [
      'electrician',
      'electrical',
      'outlet',
      'outlets',
      'breaker',
      'panel',
      'electrical panel',
      'wiring',
      'rewire',
      'ceiling fan',
      'ev charger',
      'ev chargers',
      'light fixture',
      'recessed lighting',
      'generator',
      'fuse box',
      'sparked',
      'sparking',
      'flickering',
    ],
  },
  {
    id: 'landscaping',
    label: 'landscaping',
    intents: ['landscaping'],
    typicalCost: 8_000,
    keywords: [
      'landscaping',
      'landscape',
      'landscaper',
      'sod',
      'lawn',
      'mow',
      'backyard',
      'front yard',
      'paver',
      'pavers',
      'paver patio',
      'retaining wall',
      'sprinkler',
      'irrigation',
      'plantings',
      'garden',
      'tree trimming',
      'mulch',
    ],
  },
  {
    id: 'general_contracting',
    label: 'general contracting',
    intents: ['general_contracting'],
    typicalCost: 40_000,
    keywords: [
      'general contractor',
      'contractor',
      'home addition',
      'room addition',
      'second story',
      'detached garage',
      'garage',
      'deck',
      'basement',
      'gut renovation',
      'renovation',
      'adu',
      'porch',
      'pergola',
      'foundation',
    ],
  },
  {
    id: 'painting',
    label: 'painting',
    intents: ['painting'],
    typicalCost: 4_000,
    keywords: ['paint', 'painting', 'painter', 'painters', 'repaint', 'exterior paint', 'interior paint', 'stain the'],
  },
  {
    id: 'flooring',
    label: 'flooring',
    intents: ['flooring'],
    typicalCost: 6_000,
    keywords: [
      'floor',
      'floors',
      'flooring',
      'hardwood',
      'vinyl plank',
      'luxury vinyl',
      'lvp',
      'laminate',
      'carpet',
      'tile floor',
      'refinish',
    ],
  },
  {
    id: 'windows_doors',
    label: 'windows and doors',
    intents: ['windows_doors'],
    typicalCost: 8_000,
    keywords: [
      'window',
      'windows',
      'window replacement',
      'front door',
      'patio door',
      'sliding door',
      'sliding glass door',
      'storm door',
      'entry door',
    ],
  },
  {
    id: 'solar_installation',
    label: 'solar installation',
    intents: ['solar_installation', 'solar_quote'],
    typicalCost: 25_000,
    keywords: [
      'solar',
      'solar panels',
      'solar system',
      'powerwall',
      'battery backup',
      'batteries',
      'kw system',
      'go solar',
    ],
  },
  {
    id: 'buy_home',
    label: 'home purchase',
    intents: ['buy_home'],
    typicalCost: 350_000,
    keywords: [
      'buy a house',
      'buy a home',
      'buy our first home',
      'first home',
      'home buyer',
      'homebuyer',
      'first time buyer',
      'pre-approved',
      'preapproved',
      'showing',
      'the listing',
      'for sale',
      'make an offer',
      'cash buyer',
      'investment properties',
      'houses for sale',
    ],
  },
  {
    id: 'sell_home',
    label: 'home sale',
    intents: ['sell_home'],
    typicalCost: 350_000,
    keywords: [
      'sell my house',
      'sell my home',
      'sell our house',
      'sell our home',
      'sell it',
      'selling my house',
      'selling our house',
      'list our',
      'list my',
      'listing agent',
      'on the market',
      'downsizing',
    ],
  },
  {
    id: 'rental_inquiry',
    label: 'rental',
    intents: ['rental_inquiry'],
    typicalCost: 1_500,
    keywords: ['for rent', 'rental', 'to rent', 'apartment for rent', 'lease a'],
  },
  {
    id: 'property_valuation',
    label: 'home valuation',
    intents: ['property_valuation'],
    typicalCost: null,
    keywords: ['home worth', 'house worth', 'home value', 'home valuation', 'valuation', 'appraisal', 'comps'],
  },
];

const DEFAULTS_BY_ID = new Map(DEFAULT_SERVICES.map((s) => [s.id, s]));

export function defaultService(id: string): ServiceEntry | undefined {
  return DEFAULTS_BY_ID.get(id);
}

function wordsMatch(keyword: string, text: string): boolean {
  return new RegExp(`(?<![\\w-])${keyword.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\w-])`, 'i').test(text);
}

/**
 * The built-in service a tenant's own service resembles ("commercial_solar" with keyword
 * "solar" is a kind of solar installation), so it maps to the same intents and cost. The id is
 * read first: "commercial_solar" with the keyword "flat roof" is still solar, not roofing.
 */
function resemblance(idWords: string, keywords: readonly string[]): ServiceEntry | undefined {
  const named = (text: string) =>
    DEFAULT_SERVICES.find((entry) => entry.keywords.some((keyword) => wordsMatch(keyword, text)));
  return named(idWords) ?? named(keywords.join(' | '));
}

/** A tenant's service as a catalogue entry; an id the defaults know inherits their keywords and cost. */
export function tenantService(service: { id: string; keywords: readonly string[] }): ServiceEntry {
  const idWords = service.id.replace(/[_-]+/g, ' ').trim().toLowerCase();
  const own = service.keywords.map((k) => k.toLowerCase().trim()).filter(Boolean);
  const base = DEFAULTS_BY_ID.get(service.id);
  const like = base ?? resemblance(idWords, own);
  return {
    id: service.id,
    label: base?.label ?? idWords,
    intents: like?.intents ?? (isKnownIntent(service.id) ? [service.id] : []),
    keywords: [...new Set([...own, idWords, ...(base?.keywords ?? [])])],
    typicalCost: like?.typicalCost ?? null,
  };
}
