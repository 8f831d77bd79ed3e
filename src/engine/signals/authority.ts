import { affirmed, anywhere, negated, type Hit } from './hit.js';
import type { ReadText } from './nlp.js';
import { phraseSet } from './phrases.js';
import { claimedRole } from './writer.js';

/** Who decides, the rubric's Authority: the asker, a board, or someone else they must ask. */
export interface AuthoritySignals {
  /** A title that buys: owner, CEO, founder, partner, director, procurement. */
  title: Hit | null;
  /** The asker says the decision or the signature is theirs, or a board already decided. */
  decides: Hit | null;
  /** The asker owns what the job is on: "my house", "we own the building", a homeowner. */
  owns: Hit | null;
  /** Someone else must decide: "check with my boss", "the owners asked me to collect bids". */
  needsOther: Hit | null;
  /** Rents what the job is on, so cannot commission it. */
  renter: Hit | null;
}

const TITLE = phraseSet([
  ...['owner', 'ceo', 'cfo', 'coo', 'cto', 'cio', 'cmo', 'founder', 'co-founder', 'cofounder', 'president'],
  ...['principal', 'partner', 'director', 'vp', 'vice president', 'head of', 'general manager', 'proprietor'],
  ...['managing director', 'superintendent', 'dean', 'procurement', 'purchasing', 'chief', 'administrator'],
  ...['facilities manager', 'facility manager', 'practice manager', 'office manager', 'property manager'],
  ...['operations manager', 'landlord', 'business owner', 'property owner', 'executive director', 'broker'],
]);
const DECIDES = phraseSet([
  ...['i sign', 'i can sign', 'i approve', 'i decide', 'i make the decision', 'i make decision', 'my decision'],
  ...['my call', 'decision maker', 'decision-maker', 'final say', 'sign off', 'signing authority', 'authorize'],
  ...['board approve', 'board approved', 'board sign', 'approved by the board', 'committee approve'],
  ...['council approve', 'leadership approve', 'approve the purchase', 'approve the spend', 'approved the budget'],
  ...['i have authority', 'i own the decision', 'i handle purchasing', 'i run', 'we run', 'i manage the'],
  ...['executor', 'trustee', 'power of attorney', 'legal guardian'],
]);
const OWNS = phraseSet([
  ...['my house', 'my home', 'our house', 'our home', 'my property', 'our property', 'my place', 'our place'],
  ...['my building', 'our building', 'my condo', 'our condo', 'my roof', 'our roof', 'my yard', 'our yard'],
  ...['my basement', 'our basement', 'my kitchen', 'our kitchen', 'my office', 'our office', 'my store'],
  ...['our store', 'my shop', 'our shop', 'my restaurant', 'our restaurant', 'my business', 'our business'],
  ...['my company', 'our company', 'my practice', 'our practice', 'my clinic', 'our clinic', 'my firm'],
  ...['homeowner', 'home owner', 'i own', 'we own', 'own the', 'own our', 'own my', 'we bought', 'i bought'],
  // Asking for oneself or one's own child, car or case is the rubric's "person whose own case it is".
  ...['my car', 'my truck', 'my van', 'my vehicle', 'my daughter', 'my son', 'my kid', 'my child', 'my children'],
  ...['my case', 'be my', 'its my', 'my own', 'my injury', 'my injuries'],
]);
const NEEDS_OTHER = phraseSet([
  ...['check with', 'run it by', 'run this by', 'ask my', 'talk to my', 'talk with my', 'discuss with'],
  ...['my boss', 'my manager', 'my supervisor', 'get approval', 'need approval', 'needs approval', 'approval from'],
  ...['owners asked', 'the owners want', 'owner asked', 'collect bids', 'collecting bids', 'gather quotes'],
  ...['present to', 'present this to', 'hoa', 'hoa has to approve', 'pending approval'],
  ...['up to my', 'up to the', 'not my decision', 'not my call', 'not up to me', 'my husband', 'my wife'],
  ...['my spouse', 'my partner', 'the board will', 'committee will', 'have to ask', 'need to ask'],
  // An approval still to come is someone else's to give: "it has to be approved by finance".
  ...['have to approve', 'need to approve', 'must approve', 'have to be approve', 'need to be approve'],
  ...['must be approve', 'have to sign off', 'need to sign off', 'need sign-off', 'need their approval'],
  // Someone else's yes still to get: "he has to say yes first", "I'll ask him tonight".
  ...['have to say yes', 'need to say yes', 'say yes first', 'i will ask him', 'i will ask her', 'i will ask them'],
]);
const RENTER = phraseSet([
  'i rent',
  'we rent',
  'i be renting',
  'we be renting',
  'my landlord',
  'our landlord',
  'i lease',
]);
/** Renting, claimed by the writer: "I'm a tenant", not a landlord's "my tenants". */
const RENTER_ROLES = phraseSet(['tenant', 'renter', 'lodger']);

export function readAuthority(read: ReadText): AuthoritySignals {
  return {
    title: affirmed(read, TITLE),
    decides: affirmed(read, DECIDES),
    owns: affirmed(read, OWNS),
    // "Not the decision maker" is someone else's decision.
    needsOther: affirmed(read, NEEDS_OTHER) ?? negated(read, DECIDES),
    renter: anywhere(read, RENTER) ?? claimedRole(read, RENTER_ROLES),
  };
}
