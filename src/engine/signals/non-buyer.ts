import { affirmed, anywhere, type Hit } from './hit.js';
import type { ReadText } from './nlp.js';
import { phraseSet } from './phrases.js';
import { claimedRole } from './writer.js';

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
  ...['you hiring', 'my resume', 'my cv', 'resume attached', 'resume attach', 'cv attached', 'cv attach'],
  ...['send my resume', 'send my cv', 'seeking employment', 'apply for a job', 'apply for the job'],
  ...['apply for a position', 'apply for the position', 'how do i apply', 'like to apply', 'an internship'],
  ...['join your team', 'work for you', 'years experience', 'years of experience', 'full time work'],
  ...['part time work', 'full-time position', 'job application', 'available to start', 'apprentice position'],
  ...['apprenticeship', 'my portfolio', 'looking for a position', 'weekend work', 'you be hiring', 'hiring driver'],
  ...['any job', 'any position', 'opening position', 'open position at', 'job opening at', 'position at your'],
  ...['i need work', 'i need a job', 'need a job', 'mover job', 'hang my license', 'i can start tomorrow'],
  ...['hire me', 'looking for gigs', 'summer job', 'need helper', 'need helpers', 'need staff', 'need any staff'],
  ...['yrs experience', 'yrs of experience', 'looking for anyone', 'hiring anyone', 'take on anyone'],
  ...['attached resume', 'attached cv', 'attached my resume', 'looking for a * position', 'looking for a * * position'],
  ...['can start right away', 'can start immediately', 'years of * experience', 'years of * * experience'],
  // Offering to teach or cover for the business: "do u need teachers? i can cover classes".
  ...['do you need teacher', 'do u need teacher', 'do you need instructor', 'do u need instructor', 'i can cover'],
  ...['cover class', 'do you need any help', 'do u need any help'],
  // Asked about a former employee: a reference check is about employment, not buying.
  ...['employment reference', 'reference check', 'former employer', 'eligible for rehire', 'dates of employment'],
  // "r u guys hiring? 8 yrs exp".
  ...['u hiring', 'guys hiring', 'yall hiring', "y'all hiring", 'yrs exp', 'years exp'],
]);
/** Who the writer says they are when they study the business rather than buy from it. */
const RESEARCHER_ROLES = phraseSet([
  // A bare "analyst" is as often a buyer's own staff ("a supply chain analyst at Bloomfield, we need …").
  ...['student', 'researcher', 'journalist', 'reporter', 'research analyst', 'market analyst', 'research associate'],
  ...['academic', 'blogger', 'podcaster', 'competitor', 'phd student', 'grad student', 'writer', 'professor'],
]);
/** Studying, writing or benchmarking, in the writer's own words. */
const RESEARCH_WORK = phraseSet([
  ...['thesis', 'dissertation', 'school project', 'class project', 'uni assignment', 'my assignment'],
  ...['the assignment', 'for my class', 'homework', 'college project', 'research project', 'for my research'],
  ...['doing research on', 'researching how', 'writing an article', 'writing a paper', 'writing a story'],
  ...['writing about', 'for a story', 'for my article', 'for an article', 'for our report', 'for a report'],
  ...['industry report', 'landscape report', 'published report', 'market research', 'competitive analysis'],
  ...['benchmarking', 'research purpose', 'questionnaire', 'short survey', 'quick survey', 'conduct a survey'],
  ...['conducting a survey', 'fill in a survey', 'fill out a survey', 'an interview', 'quick interview'],
  ...[
    'not a buyer',
    'not a customer',
    'not evaluating',
    'just for research',
    'a benchmark',
    'pick your brain',
    'comparing notes',
  ],
  ...['doing a survey', 'survey for my', 'survey for a', 'my class', 'my course', 'coursework', 'my professor'],
  ...['answer # questions', 'answer a few questions', 'answer some questions', 'ask you some questions'],
  ...['podcast', 'publication', 'industry trends', 'market size', 'case study for', 'for an internal study'],
  ...['writing a piece', 'request for comment', 'comment request', 'anyone comment', 'for a comment', 'final project'],
  ...['phone interview', 'interview a', 'where the market be', 'what be you pay', 'what do you pay your'],
  // A rival in the same trade asking how the business prices: "fellow groomer here", "what others in the region charge".
  ...['hey fellow', 'from a fellow', 'fellow * here', 'rework our pricing'],
  ...['competitor analysis', 'pricing research', 'price research', 'competitor research'],
]);
/** A trade whose work is selling to businesses, claimed by the writer: "I'm a distributor of panels". */
const VENDOR_ROLES = phraseSet([
  'distributor',
  'freight forwarder',
  'staffing agency',
  'recruitment agency',
  'recruiter',
  'reseller',
  'wholesaler',
  'supplier',
  'sales rep',
  'sales representative',
  'lead provider',
  'export sales',
  'export manager',
  'membership development',
]);
/**
 * A kind of business that buys as often as it sells ("we're a 9-person agency", "a 140-employee
 * manufacturer"): a pitch only when the writer also offers something or aims it at the business.
 */
const BUSINESS_ROLES = phraseSet([
  'agency',
  'partner agency',
  'manufacturer',
  'florist',
  'dev team',
  'development team',
]);
/** Phrases only a seller writes, enough on their own. */
const VENDOR_PITCH = phraseSet([
  ...[
    'backlink',
    'backlinks',
    'bulk discount',
    'hello dear',
    'offshore',
    'white label',
    'exclusive leads',
    'per lead',
    'reply yes',
    'reply for',
    'reply to see',
  ],
  ...['reply today', 'offer ends', 'offer expires', 'limited offer', 'limited time', 'dear partner', 'vendor list'],
  ...['preferred vendor', 'partnership opportunity', 'partner program', 'your ranking', 'your google', 'our seo'],
  ...['free audit', 'exclusive territory', 'moq', 'wholesale', 'dear business owner', 'special offer', 'promo code'],
  ...['advertise with', 'advertising opportunity', 'listing on our', 'our directory', 'sponsorship package'],
  ...[
    'reply to set up an account',
    'open an account today',
    'open an account with us',
    'our catalog',
    'for catalog',
    'free samples',
    'free trial of our',
  ],
  ...['subcontract for you', 'subcontracting for you', 'us subcontracting', 'running a promo', 'our promo'],
  ...['stand out', 'are you still buying', 'sign up before', 'if you prepay', 'if you commit', 'promo ending'],
  // Selling links, placements and referral swaps: "$150 per dofollow link", "10% finder's fee each way".
  ...['guest post', 'sponsored post', 'dofollow', 'link insertion', "finder's fee", 'finder fee', 'placement fee'],
  ...['referral arrangement', 'referral partnership', 'orders placed before', 'order placed before', 'first placement'],
  ...['for your signature', 'send us your po', 'send us your purchase order', 'send profiles', 'candidate profiles'],
  // Asking the business to commit: "please confirm your PO before 20 December", "20% off if you join before".
  ...['confirm your po', 'confirm your order before', 'if you join', 'join before', 'exclusive partner'],
  ...['you be recommend', 'your company be recommend', 'membership include'],
  // A supplier or landlord writing to the business as its customer: deliveries, price rises, rent.
  ...['confirming delivery', 'confirm delivery of your', 'delivery of your order', 'you ordered', 'on your account'],
  ...[
    'valued partner',
    'valued customer',
    'will increase by',
    'prices will increase',
    'price update',
    'lock in volume',
  ],
  ...['dear tenant', 'your lease', 'rent adjustment', 'cash on delivery', 'page 1 of google', 'seo package'],
  // Asking the business to give: sponsorships, donations, free goods for a post.
  ...[
    'businesses to sponsor',
    'sponsor our',
    'sponsorship level',
    'would you donate',
    'would u donate',
    'could you donate',
  ],
  ...['silent auction', 'in exchange i', 'post a story', 'tag you', 'tag u'],
  // A supplier chasing its own invoice: "just checking u got our invoice #2231".
  ...['our invoice', 'our last invoice'],
]);
/** The writer offering something: with an address to the business as the customer, a pitch. */
const VENDOR_OFFER = phraseSet([
  ...['we offer', 'we provide', 'we help', 'we specialize', 'we generate', 'we build', 'we supply', 'we sell'],
  ...['we can supply', 'we can help', 'we can get', 'we can save', 'we can cut', 'we connect', 'we be offering'],
  ...['our services', 'our platform', 'our software', 'our product', 'our company offer', 'our team of'],
  ...['our * platform', 'our * software', 'our * service', 'our * product', 'our * tool'],
  ...['i represent', 'calling from', 'reaching out from', 'we do discount', 'we can offer', 'we would like to offer'],
  ...['we can provide', "we're offering", "we're running", "i'm with", 'i be with', 'this be * with'],
  ...['this be * from', 'offers', 'we have * leads', 'we have * appointments'],
  ...['we manufacture', 'we make', 'we produce', 'we distribute', 'offering', 'i offer', 'i provide'],
  ...['i can offer', 'i could offer', 'we could offer', 'partner with you', 'partnering with you'],
  ...['we will quote', 'we quote'],
  // "i want to offer my SEO services", "we can send u 50 leads", "we'd like to list your tours and send you bookings".
  ...['offer my', 'offer our', 'we can send', 'can send you', 'can send u', 'send you bookings', 'list your'],
]);
const VENDOR_TARGET = phraseSet([
  ...['your business', 'your company', 'your customers', 'your clients', 'like yours', 'your agency', 'your fleet'],
  ...['your listings', 'your zip', 'your area', 'your showroom', 'your gym', 'your shop'],
  ...['who handle', 'who handles', 'who be the decision maker', "who's the decision maker", 'handle purchasing'],
  ...['% off', 'percent off', 'discount', 'promotion', 'special pricing', 'best price', 'price valid', 'commission'],
  ...['half price', 'below retail', 'for free', 'are free', 'free sample', 'referral'],
  ...['until the end of', 'through the end', 'months free', 'bonus', 'margin', 'resell', 'save you'],
  ...['half off', 'off list', 'prepay', 'each', 'per', 'promo', 'special', 'until', 'ending', 'month-end'],
  ...['whoever handles', 'whoever handle', 'your owner', 'minimum order', 'a month'],
  // Asking for the decision maker's time: "15 minutes with your GM this week".
  ...['minutes with your', 'your gm', 'your general manager', 'best rates', 'our rates', 'per hour'],
  ...[
    'contractors like you',
    'businesses like you',
    'companies like you',
    'first order',
    'first orders',
    'samples',
    'first * free',
    'your listing',
    'your client',
  ],
  ...['your website', 'ur website', 'your site', 'on your calendar', 'minutes on your', 'free months', 'months free'],
]);
const SPAM = phraseSet([
  ...['congratulation', 'congratulations', 'winner', 'prize', 'lottery', 'unclaimed inheritance', 'bank detail'],
  ...['processing fee', 'wire transfer', 'bitcoin', 'crypto', 'gift card', 'click here', 'claim your', 'beneficiary'],
  ...['compensation fund', 'verify your account', 'act now', 'dear friend', 'viagra', 'casino'],
  ...['loan offer', 'make money', 'investment opportunity', 'you have been selected'],
  // Threats that demand payment or card details now: "pay the $250 fine today", "confirm card details".
  ...[
    'pay the fine',
    'pay the * fine',
    'pay the * * fine',
    'pay the * * * fine',
    'confirm card',
    'confirm your card',
    'final notice',
    'press one',
    'press 1',
  ],
  ...['extended warranty', 'avoid closure', 'avoid suspension', 'security alert', 'account be lock'],
  // Machines writing: codes, renewals, "do not reply".
  ...['verification code', 'do not share this code', 'automated message', 'do not reply', 'set to auto-renew'],
  // Threats to close an account unless a link is followed: "your Page will be disabled … verify now".
  ...['verify now', 'permanently disable', 'will be disable', 'be permanently delete'],
  // Machines answering, not people: auto-replies and bounces.
  ...['automatic reply', 'auto-reply', 'autoreply', 'out of the office until', 'out of office until'],
  ...['undeliverable', 'delivery have fail', 'delivery has failed', 'could not be deliver', 'mailer-daemon'],
  ...['has been selected', 'urgent reply', 'asdf', 'lorem ipsum', 'test test', 'this is a test', 'followers'],
  ...[
    'fake diploma',
    'buy a diploma',
    'bank account',
    'account number',
    'prince',
    'no exam',
    'no exams',
    'fake',
    'cheap meds',
  ],
  // The overpayment scam: a cheque for more than the order, the balance sent on by wire.
  ...['cashier check', "cashier's check", 'western union', 'moneygram', 'send the balance', 'deduct your fee'],
]);
const OPT_OUT = phraseSet([
  ...['unsubscribe', 'stop sending', 'stop calling', 'stop texting', 'stop emailing', 'remove me', 'take me off'],
  ...['opt out', 'opt-out', 'do not contact', 'do not call', 'do not email', 'leave me alone', 'no longer interested'],
  ...['stop messaging', 'remove my', 'delete my', 'off your list', 'off the list', 'mailing list'],
  // A decision already made against the business: "please close our file, we're staying with our provider".
  ...['close our file', 'close my file', 'decide to stay with', 'decided to stay with', 'go with another company'],
  ...['decide to go with another', 'decided to go with another', 'went with another', 'going with another'],
  ...['found someone else', 'found somebody else', 'hired someone else', 'went with someone else', 'got someone else'],
  ...['going with someone else', 'found another company', 'found another provider', 'found another instructor'],
  ...['found another contractor', 'found another vendor'],
]);
const SUPPORT = phraseSet([
  ...['my account', 'my order', 'my subscription', 'my invoice', 'last invoice', 'billing question', 'password'],
  ...["can't log in", 'cannot log in', 'can not log in', 'my login', 'reset my', 'reset link', 'my dashboard'],
  ...['you installed', 'you replaced', 'you fixed', 'last visit', 'my receipt', 'a receipt', 'please refund'],
  // A ticket or a bill already open with the business: "Ticket #48213 still isn't resolved".
  ...[
    'ticket #',
    'ticket number',
    'support ticket',
    'my ticket',
    'our ticket',
    'escalate',
    'on my bill',
    'on our bill',
  ],
  ...['update our address', 'update our * address', 'copy of our', 'offline again', 'down again', 'remote in'],
  ...['where do i find my', 'where can i find my', 'you were here', 'you came out', 'admin console', 'reset 2fa'],
  ...['remit-to', 'remit to', 'vendor master', 'release payment', 'disputed the charge', 'dispute the charge'],
  ...['refund my', 'cancel my', 'cancel our', 'reschedule my', 'already a customer', 'already have a'],
  ...['existing customer', 'current customer', "i'm a customer", 'a customer of', 'confirm my appointment'],
  ...['my policy number', 'fax number', 'i be a patient', "i'm a patient", 'current patient', 'my records'],
  ...['my claim number', 'my statement', 'where is my', 'confirm my', 'update the address', 'update my'],
  ...['rent portal', 'who do i contact about', 'under warranty', 'you did our', 'you did my', 'a refund'],
  ...['the refund', 'full refund', 'my money back'],
  ...['charged twice', 'was charged', 'chargeback', 'dispute with my bank', 'helped us', 'helped me', 'tech came'],
  // Work the business already did for the writer: "you guys put in our water heater", "the portal you set up for us".
  ...['you put in', 'you guys put in', 'you guys installed', 'you guys did', 'you guys fixed', 'you guys replaced'],
  ...['you serviced', 'you repaired', 'you built', 'you painted', 'you cleaned', 'you treated', 'you set up for'],
  ...['the warranty', 'warranty on', 'warranty cover'],
  ...["i'm a client", 'i be a client', 'handles my case', 'copy of my', 'never use you', 'never using you'],
  // Writing to the support desk as a client: "Hi support,", "we're a client at your Memphis site", "could you resend it".
  ...['hi support', 'dear support', 'we be a client', 'we be a customer', 'a client at', 'my matter', 'our matter'],
  ...['resend', 're-send', 'send it again', 'reset the', 'have had no reply', 'no reply to my', 'no reply to our'],
  // A past guest's lost property: "I think I left my charger in room 412".
  ...['i left my', 'we left our', 'lost property', 'lost and found', 'stayed with you'],
  // A booking already made, moved: "can we move my appointment to Friday"; a payment already sent.
  ...['move my appointment', 'move our appointment', 'move the appointment', 'move my lesson', 'move my booking'],
  ...['move the booking', 'move my session', 'did you get my payment', 'did u get my payment', 'get my payment'],
  // Work already done, followed up: "since your tech fixed it", "the EICR you completed", "the repair you did last week".
  ...['since your tech', 'since ur tech', 'your tech fix', 'your engineer carry out', 'you completed', 'you did last'],
  ...['gate code', 'wifi password', 'wifi pw'],
  ...['my membership', 'freeze my', 'account id', 'how do i update'],
]);
/** The writer complaining, not reporting others' complaints ("tenants complaining" is a landlord's problem). */
const COMPLAINT = phraseSet([
  ...['i complain', 'to complain', 'a complaint', 'my complaint', 'formal complaint', 'file a complaint'],
  ...['disappointed', 'unacceptable', 'never again', 'report you', 'bad review', 'rude', 'ripped off'],
  ...['rip off', 'scammed', 'incompetent', 'worst service', 'noise ordinance', 'furious', 'speak to a supervisor'],
  ...['formally complain', 'writing to complain'],
  ...['file a dispute', 'filing a dispute', 'leave review everywhere', 'leaving review everywhere'],
]);
const WRONG_NUMBER = phraseSet([
  'wrong number',
  'sorry wrong',
  'not the right number',
  'wrong person',
  'dialed the wrong',
  'butt dial',
  'wrong business',
  'wrong company',
  // A text meant for family: "mom can u pick me up at 5".
  'hey mom',
  'hi mom',
  'you left at',
]);
const WONT_PAY = phraseSet([
  ...['for free', 'free of charge', 'no money', 'can not afford', 'free only'],
  ...['will not pay', 'not pay', 'not paying', 'not be pay', 'refuse to pay', 'only free', 'free option'],
  ...['do it myself'],
  ...['afford to pay anything', 'can not afford anything', 'in exchange for a review'],
]);

/** Who the writer says they are when they want work from the business. */
const JOB_ROLES = phraseSet(['apprentice', 'job seeker', 'recent graduate', 'new grad', 'intern']);

/** A seller: a phrase only sellers write, a trade they claim, or an offer aimed at the business as customer. */
function vendor(read: ReadText): Hit | null {
  const claimed = affirmed(read, VENDOR_PITCH) ?? claimedRole(read, VENDOR_ROLES);
  if (claimed) return claimed;
  const offer = affirmed(read, VENDOR_OFFER);
  const target = affirmed(read, VENDOR_TARGET);
  if (offer && target) return offer;
  const business = claimedRole(read, BUSINESS_ROLES);
  return business && (offer ?? target) ? business : null;
}

export function readNonBuyer(read: ReadText): NonBuyerSignals {
  return {
    jobSeeker: affirmed(read, JOB_SEEKER) ?? claimedRole(read, JOB_ROLES),
    researcher: claimedRole(read, RESEARCHER_ROLES) ?? affirmed(read, RESEARCH_WORK),
    vendor: vendor(read),
    spam: affirmed(read, SPAM),
    optOut: anywhere(read, OPT_OUT),
    support: affirmed(read, SUPPORT),
    complaint: affirmed(read, COMPLAINT),
    wrongNumber: affirmed(read, WRONG_NUMBER),
    wontPay: anywhere(read, WONT_PAY),
  };
}
