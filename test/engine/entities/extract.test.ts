import { describe, expect, it } from 'vitest';
import { extractEmails } from '../../../src/engine/entities/emails.js';
import { extractEntities, type EntityContext } from '../../../src/engine/entities/extract.js';
import { extractAddress, extractPersonName } from '../../../src/engine/entities/person.js';
import { extractPhones, normalisePhone } from '../../../src/engine/entities/phones.js';
import { matchProjectType } from '../../../src/engine/entities/project-type.js';
import { extractSeats, extractSquareFootage, extractTeamSize } from '../../../src/lib/sizes.js';

const ctx: EntityContext = {
  reference: new Date('2025-09-13T14:30:00Z'),
  timeZone: 'America/Chicago',
  region: 'US',
  services: [],
};

describe('emails and phones', () => {
  it('finds email addresses and lower-cases them', () => {
    expect(extractEmails('reach me at Jane.Doe@Example.com or ops@acme.co.uk.')).toEqual([
      'jane.doe@example.com',
      'ops@acme.co.uk',
    ]);
  });

  it('normalises phone numbers to E.164 with the default region', () => {
    expect(extractPhones('call me at (512) 555-0142 or +44 20 7946 0958', 'US')).toEqual([
      '+15125550142',
      '+442079460958',
    ]);
  });

  it('keeps a caller id that is possible but not assigned, such as a 555 number', () => {
    expect(normalisePhone('+15551234567', 'US')).toBe('+15551234567');
    expect(normalisePhone('12', 'US')).toBeNull();
  });

  it('honours a different default region', () => {
    expect(extractPhones('ring 020 7946 0958', 'GB')).toEqual(['+442079460958']);
  });
});

describe('sizes', () => {
  it('reads team and company sizes in the ways people write them', () => {
    expect(extractTeamSize('automation for our 50-person sales team')).toBe(50);
    expect(extractTeamSize('we have 200 employees')).toBe(200);
    expect(extractTeamSize('about 45 inside sales reps')).toBe(45);
    expect(extractTeamSize('a team of twelve')).toBe(12);
    expect(extractTeamSize("it's just me and an assistant")).toBe(2);
  });

  it('does not read "a real person" or a family as a team', () => {
    expect(extractTeamSize('can I talk to a real person? family of four')).toBeNull();
  });

  it('reads seats and licences separately from headcount', () => {
    expect(extractSeats('expand from 20 to 60 seats')).toBe(60);
    expect(extractSeats('a quote for 150 licenses')).toBe(150);
  });

  it('reads square footage with and without separators', () => {
    expect(extractSquareFootage('approximately 200 sq ft')).toBe(200);
    expect(extractSquareFootage('a 2,000 square feet ranch')).toBe(2000);
    expect(extractSquareFootage('1500 sqft')).toBe(1500);
  });
});

describe('names and addresses', () => {
  it('takes the name a person introduces themselves with', () => {
    expect(extractPersonName('Hi, my name is Dana Ruiz, the address is 88 Willow Creek Lane.')).toBe('Dana Ruiz');
    expect(extractPersonName('Hi Dana, this is John Smith from Acme.')).toBe('John Smith');
    expect(extractPersonName("512-555-0199, I'm Priya Patel.")).toBe('Priya Patel');
  });

  it('does not mistake "I\'m interested" or "this is urgent" for a name', () => {
    expect(extractPersonName("I'm interested and this is urgent, I'm Looking for help")).toBeNull();
  });

  it('finds an obvious street address with city, state and zip', () => {
    expect(extractAddress('Need someone today. 4512 Oak Ridge Dr, Austin TX 78745')).toBe(
      '4512 Oak Ridge Dr, Austin TX 78745',
    );
    expect(extractAddress('the house at 1420 Bluebonnet Trail. Agent: It is.')).toBe('1420 Bluebonnet Trail');
    expect(extractAddress('no heat, we have a baby. at 5 Alder Close. can someone come')).toBe('5 Alder Close');
    expect(extractAddress('Address is 22 Millbrook Crescent, Leeds')).toBe('22 Millbrook Crescent, Leeds');
  });

  it('keeps a Canadian or British postcode and a compass point after the street type', () => {
    expect(extractAddress('58 Glenwood Cres, Toronto ON M4B 1K2')).toBe('58 Glenwood Cres, Toronto ON M4B 1K2');
    expect(extractAddress('it is 1180 Queen St W, Toronto ON M6J 1J3 thanks')).toBe(
      '1180 Queen St W, Toronto ON M6J 1J3',
    );
    expect(extractAddress('we are at 12 High St, London SW1A 1AA thanks')).toBe('12 High St, London SW1A 1AA');
  });

  it('reads a street written without its type when a compass point, a leading street word or a flat shows it', () => {
    expect(extractAddress('basement drain backing up, 820 N Alder, hurry')).toBe('820 N Alder');
    expect(extractAddress('the office at 77 East 14th has no power')).toBe('77 East 14th');
    expect(extractAddress('vivimos en 42 Avenida Reforma, gracias')).toBe('42 Avenida Reforma');
    expect(extractAddress("I'm at 9 Beaumont, flat 3 and it's freezing")).toBe('9 Beaumont, flat 3');
    expect(extractAddress('we need 12 Chairs by Friday')).toBeNull();
  });

  it('keeps a city that closes the message after the street, but not a day or thanks', () => {
    expect(extractAddress("we're at 77 W Huron St Chicago")).toBe('77 W Huron St Chicago');
    expect(extractAddress('at 3105 W 32nd Ave Denver CO 80211 tues')).toBe('3105 W 32nd Ave Denver CO 80211');
    expect(extractAddress('77 W Huron St Thursday works')).toBe('77 W Huron St');
    expect(extractAddress('77 W Huron St. Thanks!')).toBe('77 W Huron St');
  });

  it('does not read sizes or room counts as an address', () => {
    expect(extractAddress('the 2 bedroom apartment on Elm Street, about 900 sq ft')).toBeNull();
  });
});

describe('project type', () => {
  it('matches the built-in catalogue when the tenant has none', () => {
    expect(matchProjectType('Our roof is leaking after the storm', [])?.service.id).toBe('roofing');
    expect(matchProjectType('burst pipe under the kitchen sink', [])?.service.id).toBe('plumbing');
  });

  it("prefers the tenant's own services and marks them offered", () => {
    const services = [{ id: 'electrical', keywords: [] }];
    const match = matchProjectType("We're selling our house and the electrical panel needs replacing", services);
    expect(match).toMatchObject({ service: { id: 'electrical' }, offered: true });
  });

  it('matches a keyword with "not" when the customer says it in a contraction, and not a word that merely ends in t', () => {
    const services = [{ id: 'drains', keywords: ['not draining'] }];
    expect(matchProjectType("the tub isn't draining", services)?.service.id).toBe('drains');
    expect(matchProjectType('the sink still isnt draining', services)?.service.id).toBe('drains');
    expect(matchProjectType('the paint draining off the wall', services)?.service.id).not.toBe('drains');
  });

  it("matches a tenant's custom service by its keywords and maps it to a known intent when it resembles one", () => {
    const match = matchProjectType('we want a powerwall', [
      { id: 'battery_storage', keywords: ['powerwall', 'battery backup'] },
    ]);
    expect(match?.service).toMatchObject({ id: 'battery_storage', intents: ['solar_installation', 'solar_quote'] });
  });

  it("reads a tenant service's id before its keywords to tell what it resembles", () => {
    const match = matchProjectType('solar on our flat roof', [
      { id: 'commercial_solar', keywords: ['flat roof', 'warehouse'] },
    ]);
    expect(match?.service).toMatchObject({ id: 'commercial_solar', intents: ['solar_installation', 'solar_quote'] });
  });

  it('does not read "for sales automation" as a house for sale', () => {
    expect(matchProjectType('looking for sales automation', [])).toBeNull();
    expect(matchProjectType('is the house still for sale?', [])?.service.id).toBe('buy_home');
  });

  it('marks a built-in service the tenant does not sell as not offered', () => {
    expect(matchProjectType('new kitchen cabinets', [{ id: 'roofing', keywords: [] }])).toMatchObject({
      offered: false,
    });
  });
});

describe('extractEntities', () => {
  it('extracts the spec A call transcript', () => {
    const { entities } = extractEntities(
      {
        text: "Hi, I'm interested in remodeling my kitchen. It's about 200 square feet and I'm looking to do it in the next 3 months. My budget is around $30,000.",
        phone: '+15551234567',
        name: 'John Smith',
        fields: {},
      },
      ctx,
    );
    expect(entities).toEqual({
      emails: [],
      phones: ['+15551234567'],
      money: [30_000],
      budget_range: { min: 30_000, max: 30_000 },
      timeline: '1-3_months',
      dates: [],
      team_size: null,
      square_footage: 200,
      project_type: 'kitchen_remodel',
      person_name: 'John Smith',
      address: null,
    });
  });

  it("uses the structured fields of spec A's direct webhook", () => {
    const { entities } = extractEntities(
      {
        text: '',
        fields: {
          customer_email: 'jane@example.com',
          customer_phone: '+15551234567',
          customer_name: 'Jane Doe',
          project_type: 'bathroom',
          project_description: 'Looking to remodel kitchen, approximately 200 sq ft',
          budget_range: '25000-50000',
          timeline: '3-6_months',
        },
      },
      ctx,
    );
    expect(entities).toMatchObject({
      emails: ['jane@example.com'],
      phones: ['+15551234567'],
      person_name: 'Jane Doe',
      project_type: 'bathroom_remodel',
      budget_range: { min: 25_000, max: 50_000 },
      timeline: '3-6_months',
      square_footage: 200,
    });
  });

  it('keeps an unknown form project type as given', () => {
    expect(extractEntities({ text: '', fields: { project_type: 'Pool Build' } }, ctx).entities.project_type).toBe(
      'pool_build',
    );
  });

  it('reads a bare budget in thousands when the job makes that the only sensible reading', () => {
    const house = extractEntities(
      { text: "We're pre-approved up to 600 and want to see the listing", fields: {} },
      ctx,
    );
    expect(house.entities.budget_range).toEqual({ min: 0, max: 600_000 });
    expect(house.entities.money).toEqual([600_000]);
  });

  it('keeps a bare budget as written when it is plausible for the job or has a currency sign', () => {
    const repair = extractEntities({ text: 'fix the leaking faucet, budget around 300', fields: {} }, ctx);
    expect(repair.entities.budget_range).toEqual({ min: 300, max: 300 });
    const marked = extractEntities({ text: 'looking to buy a house, budget $600', fields: {} }, ctx);
    expect(marked.entities.budget_range).toEqual({ min: 600, max: 600 });
  });

  it('does not mistake an electric bill for a budget', () => {
    const extraction = extractEntities({ text: 'our electric bill is $280/month', fields: {} }, ctx);
    expect(extraction.entities.budget_range).toBeNull();
    expect(extraction.monthlyBill).toBe(280);
  });
});
