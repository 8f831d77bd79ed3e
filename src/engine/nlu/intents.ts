/**
 * The closed set of intents the local engine recognises, with what each means for a sale.
 * `kind` drives scoring (a buying intent scores, a support ticket does not); `label` is how
 * summaries and reasoning name the intent.
 */

export const UNKNOWN_INTENT = 'unknown';

export type IntentKind =
  | 'project' // a consumer wants a job done or a property bought/sold
  | 'purchase' // a business (or shopper) evaluating or pricing what the tenant sells
  | 'prospect' // low-value interest: rentals, valuations
  | 'engagement' // booking or moving an appointment
  | 'support' // an existing customer with a problem
  | 'chat' // conversational turns with no lead content
  | 'junk' // spam and wrong numbers
  | 'job' // job seekers
  | 'unknown';

export type Vertical = 'home_services' | 'real_estate' | 'solar' | 'b2b' | 'general';

export interface IntentInfo {
  kind: IntentKind;
  vertical: Vertical;
  label: string;
}

export const INTENTS = {
  kitchen_remodel: { kind: 'project', vertical: 'home_services', label: 'kitchen remodel' },
  bathroom_remodel: { kind: 'project', vertical: 'home_services', label: 'bathroom remodel' },
  roofing: { kind: 'project', vertical: 'home_services', label: 'roofing' },
  hvac_repair: { kind: 'project', vertical: 'home_services', label: 'HVAC' },
  plumbing: { kind: 'project', vertical: 'home_services', label: 'plumbing' },
  electrical: { kind: 'project', vertical: 'home_services', label: 'electrical' },
  landscaping: { kind: 'project', vertical: 'home_services', label: 'landscaping' },
  general_contracting: { kind: 'project', vertical: 'home_services', label: 'general contracting' },
  painting: { kind: 'project', vertical: 'home_services', label: 'painting' },
  flooring: { kind: 'project', vertical: 'home_services', label: 'flooring' },
  windows_doors: { kind: 'project', vertical: 'home_services', label: 'windows and doors' },
  buy_home: { kind: 'project', vertical: 'real_estate', label: 'home purchase' },
  sell_home: { kind: 'project', vertical: 'real_estate', label: 'home sale' },
  rental_inquiry: { kind: 'prospect', vertical: 'real_estate', label: 'rental inquiry' },
  property_valuation: { kind: 'prospect', vertical: 'real_estate', label: 'property valuation' },
  solar_installation: { kind: 'project', vertical: 'solar', label: 'solar installation' },
  solar_quote: { kind: 'project', vertical: 'solar', label: 'solar quote' },
  demo_request: { kind: 'purchase', vertical: 'b2b', label: 'demo request' },
  pricing_inquiry: { kind: 'purchase', vertical: 'b2b', label: 'pricing inquiry' },
  product_inquiry: { kind: 'purchase', vertical: 'b2b', label: 'product inquiry' },
  order_status: { kind: 'support', vertical: 'general', label: 'order status' },
  damaged_product: { kind: 'support', vertical: 'general', label: 'damaged product' },
  billing_issue: { kind: 'support', vertical: 'general', label: 'billing issue' },
  technical_support: { kind: 'support', vertical: 'general', label: 'technical support' },
  cancel_service: { kind: 'support', vertical: 'general', label: 'cancellation' },
  greeting: { kind: 'chat', vertical: 'general', label: 'greeting' },
  business_hours: { kind: 'chat', vertical: 'general', label: 'business hours' },
  location: { kind: 'chat', vertical: 'general', label: 'location' },
  appointment_booking: { kind: 'engagement', vertical: 'general', label: 'appointment booking' },
  reschedule: { kind: 'engagement', vertical: 'general', label: 'reschedule' },
  cancel_appointment: { kind: 'support', vertical: 'general', label: 'appointment cancellation' },
  human_agent: { kind: 'chat', vertical: 'general', label: 'request for a person' },
  thanks: { kind: 'chat', vertical: 'general', label: 'thanks' },
  goodbye: { kind: 'chat', vertical: 'general', label: 'goodbye' },
  affirm: { kind: 'chat', vertical: 'general', label: 'confirmation' },
  deny: { kind: 'chat', vertical: 'general', label: 'decline' },
  spam: { kind: 'junk', vertical: 'general', label: 'spam' },
  wrong_number: { kind: 'junk', vertical: 'general', label: 'wrong number' },
  job_application: { kind: 'job', vertical: 'general', label: 'job application' },
} as const satisfies Record<string, IntentInfo>;

export type IntentId = keyof typeof INTENTS;

const UNKNOWN_INFO: IntentInfo = { kind: 'unknown', vertical: 'general', label: 'general inquiry' };

export function isKnownIntent(intent: string): intent is IntentId {
  return Object.hasOwn(INTENTS, intent);
}

export function intentInfo(intent: string): IntentInfo {
  return isKnownIntent(intent) ? INTENTS[intent] : UNKNOWN_INFO;
}

/** Intents that carry lead content; conversational turns never outrank them in a longer text. */
export function isSubstantive(intent: string): boolean {
  const { kind } = intentInfo(intent);
  return kind !== 'chat' && kind !== 'unknown';
}
