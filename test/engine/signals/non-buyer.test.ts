import { describe, expect, it } from 'vitest';
import { signalsOf } from './signals.fixtures.js';

describe('non-buyer signals', () => {
  it.each([
    ['jobSeeker', 'HVAC tech looking for work, resume attached'],
    ['researcher', "I'm a student writing a paper on solar adoption"],
    ['researcher', "I'm a market research analyst benchmarking competitors' pricing"],
    ['vendor', 'We generate exclusive roofing leads, offer ends Friday'],
    ['vendor', "I'd love to partner with you. I can offer your couples 10% off my arrangements"],
    ['spam', 'CONGRATULATIONS, send your bank details and a processing fee'],
    ['optOut', 'unsubscribe me from these emails'],
    ['support', 'How do I reset my password for my account?'],
    ['wrongNumber', 'Sorry, wrong number'],
    ['support', 'Ticket #9921 is still open and the printer is offline again'],
    ['support', 'Can you update our billing address? We moved to the new unit'],
    ['spam', 'FINAL NOTICE: settle the $300 balance today to avoid suspension'],
    ['spam', 'City Licensing: pay the $250 late fine today or your shop is closed'],
    ['vendor', 'We offer a sponsored post on our travel blog, $90 per link'],
    ['vendor', 'We supply trained banquet servers at $21 per hour. Could I get 10 minutes with your GM?'],
    ['jobSeeker', "Saw you're hiring installers, I have 6 years of roofing experience"],
    ['spam', 'Automatic reply: I am out of the office until the 4th with no access to e-mail'],
    ['optOut', "We've decided to stay with our current cleaners, please close our file"],
    ['researcher', 'Reporter here, writing a piece on the bridge closure, can anyone comment?'],
    ['wontPay', 'The fence is crooked and I will not be paying the balance'],
    ['support', 'Hi support, ticket #77120 has had no reply and our phones are down'],
    ['support', "We're a client at your Memphis site. Could you resend the weekly report?"],
    ['support', 'I think I left my charger in room 412, could housekeeping check?'],
    ['jobSeeker', 'certified yoga teacher here, do u need teachers? i can cover classes'],
    ['vendor', 'Our price is USD 28 per carton. Please confirm your PO before 20 December. Export Sales'],
    ['vendor', 'We are looking for one exclusive partner in your country, 20% off if you join before 31 December'],
    ['optOut', 'found someone else thx, no need to call back'],
    ['spam', 'Your Page will be disabled in 24 hours. Verify now: http://example.com/appeal'],
    ['support', 'hi its kayla, can we move my appointment to sunday pls'],
    ['support', "door's been working perfect since ur tech fixed it tuesday"],
    ['vendor', 'Confirming delivery of your order SO-55817 Thursday 07:00-09:00, total $3,480 on your account'],
    ['vendor', 'Dear valued partner, prices will increase by 12% from January 1'],
    ['vendor', 'We are looking for local businesses to sponsor our jerseys, levels are $250 and $500'],
    ['vendor', "i'm a creator with 48k followers, i'd love a cake and in exchange i'd post a story"],
    ['spam', 'Your verification code is 482913. Do not share this code with anyone.'],
    ['spam', 'This is an automated message. Please do not reply. Your domain is set to auto-renew.'],
    [
      'jobSeeker',
      'Employment reference: could you confirm his dates of employment and whether he is eligible for rehire?',
    ],
    ['researcher', 'hey fellow groomer here, what do u charge for a full groom?'],
    ['complaint', "If we don't get the gallery by Friday, I'm filing a dispute with my card company"],
    ['jobSeeker', 'r u guys hiring? i can do drywall tape mud and paint, 8 yrs exp'],
    ['vendor', 'Hi i want to offer my SEO services 4 ur website. 1st page garantee, only 150$'],
    ['vendor', 'hi im from BrightLeads, we can send u 50 hvac leads/week for $20 each. interested??'],
    ['vendor', "We'd like to list your Iceland tours and send you bookings in exchange for 15% commission"],
    [
      'vendor',
      "We're offering 2 free months to firms that sign before December 20. Can I get 15 minutes on your calendar?",
    ],
    [
      'vendor',
      'hi this is Dave from Acme Supplies, just checking u got our invoice #2231 from last week? its due friday',
    ],
    ['researcher', "can you share your full price list? I'm putting together a competitor analysis for my company"],
    ['spam', 'I will send a cashier check of $8,900. Deduct your fee and send the balance by Western Union'],
    ['support', 'Can you please freeze my membership (#30882) from Dec 15 to Feb 15?'],
  ] as const)('reads a %s in "%s"', (family, text) => {
    expect(signalsOf(text).nonBuyer[family]).not.toBeNull();
  });

  it.each([
    "I'm the head of a language school and 18 of our students need exam prep by the 1st",
    "We've been with one of your competitors for two years and want to switch before the 30th",
    "We're hiring 15 new staff, so the office cleaning contract has to cover the second floor",
    'Bed bugs in 3 units, tenants complaining. I am the landlord, need treatment this week',
    'Do you guys do tree trimming? Got a big oak that might need work next year',
    'Any openings Thursday for a cut and colour? Cost is no issue',
    'Our freezer failed overnight, can your tech come out this morning?',
    'we accept the quote for the gutters, deposit sent on zelle',
    'I found another leak under the sink, can you come today?',
    "I'm a supply chain analyst at Bloomfield Home. We need 200 pallet positions from January 4",
    'we need to move our office to the new building next month',
    'can we move forward with the quote? we are ready',
    'I have a wedding booked for June and need a photographer',
    'the storm went through last night and a tree fell on the roof',
    'can your engineer come tomorrow to look at the boiler?',
    // "free" in "gluten-free" is what the food lacks, not a price.
    'Party for 85 on Dec 19, heavy apps with a few vegan and gluten-free options, budget $7,500',
    // A form's field label names the student the parent writes for; an inheritance of one's own is no lottery spam.
    'Parent name: Mrs. Anjali Mehra\nStudent: Class 11 (CBSE), Physics & Maths\nMessage: Need a home tutor this week',
    "I've come into an inheritance of around £180,000 and would like to talk to someone about my options",
  ])('reads no non-buyer when a buyer speaks of other people: "%s"', (text) => {
    expect(Object.values(signalsOf(text).nonBuyer).filter(Boolean)).toEqual([]);
  });

  it.each([
    ['researcher', "Hi! I'm a second-year business student doing a class project"],
    ['researcher', 'CS student, can you tell me how you price this? For a project.'],
    ['vendor', "I'm a distributor of mono panels, price valid until the end of the month"],
    ['vendor', 'This is Jen from ListingBoost, we help agents like yours, half off until Friday'],
  ] as const)('reads a %s who says so of themselves in "%s"', (family, text) => {
    expect(signalsOf(text).nonBuyer[family]).not.toBeNull();
  });

  it('reads no non-buyer in a plain buyer', () => {
    const signals = signalsOf('Need a new AC installed this week, we own the house, about $9k budgeted');
    expect(Object.values(signals.nonBuyer).filter(Boolean)).toEqual([]);
  });
});
