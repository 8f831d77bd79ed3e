import { affirmed, anywhere, type Hit } from './hit.js';
import type { ReadText } from './nlp.js';
import { phraseSet } from './phrases.js';

/** People who write to a business without buying from it, each a COLD in the rubric. */
export interface NonBuyerSignals {
  jobSeeker: Hit | null;
  /** Students, researchers, journalists, analysts and competitors studying the market. */
  researcher: Hit | null;
  /** Someone selling to the business: agencies, offshore teams, lead sellers. */
  vendor: Hit | null;
  spam: Hit | null;
  optOut: Hit | null;
  /** An existing customer's support or admin question. */
  support: Hit | null;
  complaint: Hit | null;
  wrongNumber: Hit | null;
  /** Says they will not pay, or only for free. */
  wontPay: Hit | null;
}

const JOB_SEEKER = phraseSet([
  ...['looking for work', 'looking for a job', 'looking for job', 'looking for employment', 'are you hiring'],
  ...['you hiring', 'resume', 'cv', 'job opening', 'open position', 'apply for', 'employment', 'internship'],
  ...['join your team', 'work for you', 'years experience', 'years of experience', 'full time work'],
  ...['part time work', 'full-time position', 'job application', 'available to start'],
  ...['apprentice', 'apprenticeship', 'position available', 'my portfolio', 'looking for a position', 'weekend work'],
  ...[
    'need work',
    'need a job',
    'mover job',
    'hang my license',
    'can start tomorrow',
    'any openings',
    'any opening',
    'hire me',
    'looking for gigs',
    'summer job',
  ],
]);
const RESEARCHER = phraseSet([
  ...['student', 'thesis', 'dissertation', 'school project', 'class project', 'assignment', 'research project'],
  ...['survey', 'questionnaire', 'journalist', 'reporter', 'writing an article', 'writing a paper', 'not a buyer'],
  ...[
    'for a story',
    'interview',
    'i be an analyst',
    'analyst at',
    'research analyst',
    'market research',
    'industry report',
    'competitive analysis',
  ],
  ...['benchmark', 'benchmarking', 'competitor', 'competitors', 'market size', 'research purpose', 'academic'],
  ...['case study for', 'for my class', 'homework', 'college project', 'podcast', 'publication', 'comparing notes'],
  ...['similar space', 'pick your brain', 'how you handle', 'for our report', 'for a report', 'industry trends'],
]);
const VENDOR = phraseSet([
  ...['we offer', 'we provide', 'we help', 'we specialize', 'our services', 'our team of'],
  ...['our platform', 'our product help', 'our software', 'we generate', 'we build', 'we can help your', 'our tracker'],
  ...['your google', 'your ranking', 'backlink', 'offshore', 'outsourcing', 'lead generation', 'guaranteed'],
  ...['free audit', 'partner with you', 'partnership opportunity', 'reseller', 'white label', 'reply yes'],
  ...['limited offer', 'offer ends', 'special offer', 'exclusive leads', 'our company offers'],
  ...['sponsor', 'sponsorship', 'advertise with', 'advertising opportunity', 'listing on our', 'our directory'],
  ...['i represent', 'on behalf of', 'your business', 'your company', 'your customers', 'your listings', 'your zip'],
  ...['like yours', 'your owner', 'your clients', 'your agency', 'your fleet', 'your aws'],
  ...[
    'promotion',
    'running a promo',
    'promo code',
    '% off',
    'percent off',
    'off list',
    'bonus',
    'per lead',
    'margin',
    'resell',
    'partner program',
  ],
  ...['we be offering', 'we connect', 'we can cut', 'we can save', 'save you', 'calling from', 'reaching out from'],
  ...['our plan', 'our offer', 'months free', 'best price', 'open an account', 'wholesale'],
  ...['guarantee', 'dear partner', 'vendor list', 'special pricing', 'moq', 'reply for'],
  ...['reply today', 'reply to see', 'manufacturer', 'exclusive territory', 'stand out', 'we notice', 'our seo'],
  ...['are you still buying', 'who handle', 'who handles', 'we do discount'],
]);
const SPAM = phraseSet([
  ...['congratulation', 'congratulations', 'winner', 'prize', 'lottery', 'inheritance', 'bank detail'],
  ...['processing fee', 'wire transfer', 'bitcoin', 'crypto', 'gift card', 'click here', 'claim your', 'beneficiary'],
  ...['compensation fund', 'verify your account', 'act now', 'dear friend', 'viagra', 'casino'],
  ...['loan offer', 'make money', 'investment opportunity', 'you have been selected'],
  ...['has been selected', 'urgent reply', 'asdf', 'lorem ipsum', 'test test', 'this is a test', 'followers'],
  ...['diploma', 'bank account', 'account number', 'prince', 'no exam', 'no exams', 'fake', 'cheap meds'],
]);
const OPT_OUT = phraseSet([
  ...['unsubscribe', 'stop sending', 'stop calling', 'stop texting', 'stop emailing', 'remove me', 'take me off'],
  ...['opt out', 'opt-out', 'do not contact', 'do not call', 'do not email', 'leave me alone', 'no longer interested'],
  ...['stop messaging', 'remove my', 'delete my', 'off your list', 'off the list', 'mailing list'],
]);
const SUPPORT = phraseSet([
  ...['my account', 'my order', 'my subscription', 'my invoice', 'billing question', 'password'],
  ...['log in', 'login', 'reset', 'you installed', 'you replaced', 'you fixed', 'your tech'],
  ...[
    'last visit',
    'warranty',
    'receipt',
    'please refund',
    'refund my',
    'cancel my',
    'cancel our',
    'reschedule my',
    'already a customer',
  ],
  ...['existing customer', 'current customer', "i'm a customer", 'a customer of', 'my appointment', 'my policy'],
  ...['fax number', 'i be a patient', "i'm a patient", 'my records', 'name of the', 'quick question'],
  ...['my claim', 'my case', 'my statement', 'tracking', 'where is my', 'confirm my'],
]);
const COMPLAINT = phraseSet([
  ...['complaint', 'complain', 'disappointed', 'unacceptable', 'never again', 'report you', 'noise ordinance'],
  ...['bad review', 'rude', 'ripped off', 'rip off', 'scammed', 'incompetent', 'worst service'],
]);
const WRONG_NUMBER = phraseSet([
  'wrong number',
  'sorry wrong',
  'not the right number',
  'wrong person',
  'dialed the wrong',
  'butt dial',
]);
const WONT_PAY = phraseSet([
  ...['for free', 'free of charge', 'no money', 'can not afford', 'too expensive', 'free only'],
  ...['will not pay', 'not pay', 'not paying', 'refuse to pay', 'only free', 'free option', 'do it myself'],
]);

export function readNonBuyer(read: ReadText): NonBuyerSignals {
  return {
    jobSeeker: affirmed(read, JOB_SEEKER),
    researcher: affirmed(read, RESEARCHER),
    vendor: affirmed(read, VENDOR),
    spam: affirmed(read, SPAM),
    optOut: anywhere(read, OPT_OUT),
    support: affirmed(read, SUPPORT),
    complaint: affirmed(read, COMPLAINT),
    wrongNumber: affirmed(read, WRONG_NUMBER),
    wontPay: anywhere(read, WONT_PAY),
  };
}
