import type { Budget } from '../entities/extract.js';
import type { MoneyMention } from '../entities/money.js';
import { formatBudget } from '../scoring/format.js';
import { anywhere, type Hit } from './hit.js';
import type { ReadText, Token } from './nlp.js';
import { findPhrases, phraseSet } from './phrases.js';

/** The rubric's Budget: money named, set aside or approved, or said to be missing. */
export interface MoneySignals {
  /** An amount to spend, from the text or a budget field ("$60k", "5 lakh", "$10k–$25k"). */
  amount: Hit | null;
  /** Money lined up: set aside, approved, budgeted, financed, insurance paying. */
  committed: Hit | null;
  /** Money is no obstacle: "budget isn't a problem", "can pay whatever". */
  noObstacle: Hit | null;
  /** No money or not yet: "no budget right now", "can't afford", "when we have money". */
  lacking: Hit | null;
  /** Budget not settled: "no set budget", "depends on the price". */
  undecided: Hit | null;
}

const COMMITTED = phraseSet([
  ...['set aside', 'put aside', 'approve', 'approved', 'pre-approved', 'preapproved', 'budgeted', 'allocate'],
  ...['allocated', 'earmark', 'earmarked', 'funded', 'funding', 'grant', 'insurance cover', 'insurance pay'],
  ...[
    'insurance is paying',
    'insurance claim',
    'claim number',
    'financing',
    'financed',
    'cash buyer',
    'pay cash',
    'have the money',
  ],
  ...['have the budget', 'have a budget', 'money ready', 'in the budget', 'government be paying', 'company approved'],
  ...['can pay', 'will pay', 'happy to pay', 'willing to pay', 'fine with', 'saved', 'down payment', 'secured'],
  // A payer named for a patient's own care is a way to pay: "we have Aetna", "I have Delta Dental PPO".
  ...['have insurance', 'have * insurance', 'ppo', 'hmo', 'delta dental', 'aetna', 'cigna', 'blue cross', 'bcbs'],
  ...['humana', 'unitedhealthcare', 'united healthcare', 'medicaid', 'medicare', 'kaiser', 'pay privately'],
  // Paying for oneself, or taking the price as given: "I'll be paying myself", "fine with your price".
  ...['pay myself', 'paying myself', 'pay for it myself', 'out of pocket', 'self-pay', 'self pay'],
  ...['price be fine', 'price be ok', 'fine with your price', 'fine with the price', 'ok with the price'],
]);
const NO_OBSTACLE = phraseSet([
  ...['budget be not a problem', 'budget be not an issue', 'money be not an issue', 'money be not a problem'],
  ...['price be not an issue', 'cost be not an issue', 'cost be not a problem', 'price be not a problem'],
  ...['budget be flexible', 'pay whatever', 'whatever it cost', 'whatever it take', 'money be no object'],
  ...['care what it cost', 'care about the cost', 'care about the price'],
  ...['budget be not a concern', 'not worried about cost', 'not worried about price', 'not price sensitive'],
]);
const LACKING = phraseSet([
  ...['no budget', 'budget be tight', 'tight budget', 'can not afford', 'do not have the money', 'no money'],
  ...['do not have a budget', 'when we have money', 'when we have the money', 'save up', 'saving up', 'cheap'],
  ...[
    'cheapest',
    'low cost',
    "i'm broke",
    'be broke',
    'flat broke',
    'no funds',
    'no funding',
    'not in the budget',
    'out of budget',
  ],
]);
const UNDECIDED = phraseSet([
  ...['no set budget', 'budget tbd', 'depend on the price', 'depends on price', 'no idea what', 'have not set'],
  ...['figure out the budget', 'figure out budget', 'not sure about budget', 'not sure on budget', 'not sure what'],
  ...['what it would cost', 'what it cost', 'budget undecided', 'still working out', 'need to see price'],
  ...['not be decide', 'not been decide', 'not be set', 'not be approve', 'not be finalize', 'pending'],
]);

/** Approval words, which name money lined up only once the approval has happened. */
const APPROVAL = new Set(['approve', 'approved', 'pre-approved', 'preapproved', 'allocate', 'allocated', 'budgeted']);
const MODALS = new Set(['must', 'would', 'will', 'should', 'could', 'may', 'might']);
const OBLIGED = new Set(['need', 'have', 'got', 'hope', 'want']);
/** How far back a modal governs an approval word: "will still need to be approved". */
const MODAL_REACH = 4;

/** An approval still to come: "has to be approved", "would need approval", "will approve". */
function toCome(tokens: readonly Token[], start: number): boolean {
  const clause = tokens[start]?.clause;
  for (let k = start - 1; k >= Math.max(0, start - MODAL_REACH) && tokens[k]?.clause === clause; k -= 1) {
    const token = tokens[k] as Token;
    if (MODALS.has(token.lemma)) return true;
    if (token.lemma === 'to' && OBLIGED.has(tokens[k - 1]?.lemma ?? '')) return true;
  }
  return false;
}

/** Money lined up, not an approval the lead is still waiting for. */
function committed(read: ReadText): Hit | null {
  const match = findPhrases(read, COMMITTED).find(
    (m) => !m.negated && !(APPROVAL.has(read.tokens[m.start]?.lemma ?? '') && toCome(read.tokens, m.start)),
  );
  return match ? { text: match.text.toLowerCase() } : null;
}

/** Spend the lead names, not a utility bill (which only sizes a solar job). */
function amountOf(budget: Budget | null, money: readonly MoneyMention[]): Hit | null {
  if (budget) return { text: formatBudget(budget) };
  const spend = money.find((m) => m.context !== 'bill');
  return spend ? { text: spend.text } : null;
}

export function readMoney(read: ReadText, budget: Budget | null, money: readonly MoneyMention[]): MoneySignals {
  return {
    amount: amountOf(budget, money),
    committed: committed(read),
    noObstacle: anywhere(read, NO_OBSTACLE),
    lacking: anywhere(read, LACKING),
    undecided: anywhere(read, UNDECIDED),
  };
}
