import { affirmed, type Hit } from './hit.js';
import type { ReadText } from './nlp.js';
import { phraseSet } from './phrases.js';

/** How far along a purchase is: a step under way, an ask for a price, an ask to be contacted. */
export interface ProcessSignals {
  /** A purchase step: PO, order form, contract, deposit, "we accept", paid pilot. */
  purchase: Hit | null;
  /** A purchase the buyer has already committed to: a quote accepted, a contract signed or asked for, a PO issued. */
  underway: Hit | null;
  /** Asking what it costs: quote, estimate, pricing, "how much". */
  pricing: Hit | null;
  /** Asking us to act: call me, come out, schedule, a demo, a visit. */
  contact: Hit | null;
  /** Weighing options: comparing, other quotes, alternatives. */
  comparing: Hit | null;
  /** Asking whether the business does the job: "do you do flat roofs?", "do you take Cigna?". */
  service: Hit | null;
}

const PURCHASE = phraseSet([
  ...['purchase order', 'po', 'p.o.', 'order form', 'contract', 'agreement', 'paperwork', 'deposit', 'invoice'],
  ...['retainer', 'sow', 'msa', 'we accept', 'i accept', 'accept the quote', 'accept your quote', 'go ahead'],
  ...['move forward', 'moving forward', 'proceed', 'book it', 'lock in', 'reserve', 'paid pilot', 'sign'],
  ...['signature', 'e-sign', 'docusign', 'payment link', 'credit card', 'card on file', 'ready to buy'],
  ...['ready to start', 'ready to go', 'ready to book', 'start date', 'kick off', 'kickoff', 'vendor form'],
  ...['vendor registration', 'w-9', 'w9', 'security review', 'legal review', 'redline', 'go with'],
  ...['onboarding', 'put down', 'pay the', 'wire the', 'send the bill', 'hire you', 'engage you', 'award'],
]);
/**
 * The narrower steps that mean a purchase is under way, which the rubric makes HOT on its own. A
 * contract or PO merely mentioned ("what's in your contract?") is a purchase step, not one of these.
 */
const UNDERWAY = phraseSet([
  ...['we accept', 'i accept', 'accept the quote', 'accept your quote', 'accept the proposal', 'accept the estimate'],
  ...['accept your proposal', 'accept the bid', 'accept the revised', 'accept the offer', 'accept the terms'],
  ...['send * contract', 'send * * contract', 'send * agreement', 'send * * agreement', 'send * order form'],
  ...['send * * order form', 'send * po', 'send * purchase order', 'where do i send the po', 'po be issue'],
  ...['po have be issue', 'purchase order # have be issue', 'purchase order have be issue', 'issue a po'],
  ...['issue the po', 'po be approve', 'ready to sign', 'what do we sign', 'where do i sign', 'where do we sign'],
  ...['signed the', 'signed your', 'countersign', 'deposit be ready', 'deposit ready', 'pay the deposit'],
  ...['paid the deposit', 'ready to go ahead', 'like to go ahead', 'want to go ahead', 'we will go ahead'],
  // A step already taken, told in passing: "Deposit paid Nov 30", "PO# 7782 went to your billing email".
  ...['deposit pay', 'deposit be pay', 'deposit have be pay', 'paid a deposit', 'paid our deposit', 'po go to'],
  ...['po # go to', 'po # * go to', 'sent the po', 'sent over the po', 'po be send', 'po have be send'],
  ...['deposit send', 'sent the deposit', 'sent the * deposit', 'sent the * * deposit', 'sent a deposit'],
  ...['attached purchase order', 'attached po', 'attached our po', 'purchase order # for', 'po # for'],
  ...['signed agreement', 'signed contract', 'agreement sign', 'contract sign', 'agreement be sign'],
  ...['contract be sign', 'deposit be send', 'deposit have be send', 'signed quote', 'signed estimate'],
  ...['signed proposal', 'signed bid', 'quote be sign', 'estimate be sign'],
  // Saying yes to what was offered: "approved, please proceed, PO to follow", "go ahead and book it".
  ...['please proceed', 'po to follow', 'po will follow', 'go ahead and book', 'go ahead and order'],
  ...['go ahead and schedule', 'go ahead with the order', 'go ahead with the install'],
  // Taking what was offered: "I'll take it", "let's do it".
  ...['i will take it', 'we will take it', 'i will take the', 'we will take the', 'let us do it'],
  // Paying now: "how do I pay?", "sign me up", "take my card".
  ...['how do i pay', 'how can i pay', 'where do i pay', 'sign me up', 'take my card', 'card be ready', 'card ready'],
]);
const PRICING = phraseSet([
  ...['quote', 'estimate', 'bid', 'proposal', 'pricing', 'price', 'cost', 'how much', 'rate', 'brochure'],
  ...['ballpark', 'fee', 'charge', 'what do you charge', 'price list', 'rough number', 'per month', 'rebate'],
  ...['what be include', "what's included", 'what be involve', "what's involved", 'payment plan', 'how do it work'],
]);
const CONTACT = phraseSet([
  ...['call me', 'call back', 'give me a call', 'contact me', 'reach me', 'text me', 'email me', 'get back to me'],
  ...['send someone', 'come out', 'come by', 'come over', 'send a tech', 'schedule', 'book', 'appointment'],
  ...['visit', 'demo', 'consultation', 'consult', 'walkthrough', 'walk-through', 'meet', 'available'],
  ...['can you come', 'when can', 'how soon', 'let me know', 'reach out', 'set up a call', 'hop on a call'],
  ...['showing', 'tour', 'site visit', 'assessment', 'inspection', 'who do i', 'who should i', 'next step'],
  ...['bring it in', 'drop it off', 'come in', 'stop by', 'fit me in', 'squeeze me in', 'get me in', 'see me'],
]);
const COMPARING = phraseSet([
  ...['compare', 'comparing', 'other quotes', 'other bids', 'alternative', 'shopping around', 'vs', 'versus'],
  ...['shortlist', 'evaluate', 'evaluating', 'other vendors', 'other companies', 'a few companies', 'options'],
  // Collecting several quotes: "we're getting three quotes".
  ...['get * quotes', 'getting * quotes', 'three quotes', 'few quotes', 'several quotes', 'multiple quotes'],
]);

const SERVICE = phraseSet([
  ...['do you do', 'do u do', 'do you guys do', 'do u guys do', 'do you have', 'do u have', 'do you offer'],
  ...['do u offer', 'do you handle', 'do you work on', 'do you service', 'do you install', 'do you sell'],
  ...['do you take', 'do u take', 'do you accept', 'do you cover', 'do you manage', 'do u manage', 'can you do'],
  ...['can u do', 'can you install', 'can u install', 'can you help', 'can u help', 'are you able to'],
]);

export function readProcess(read: ReadText): ProcessSignals {
  return {
    purchase: affirmed(read, PURCHASE),
    underway: affirmed(read, UNDERWAY),
    pricing: affirmed(read, PRICING),
    contact: affirmed(read, CONTACT),
    comparing: affirmed(read, COMPARING),
    service: affirmed(read, SERVICE),
  };
}
