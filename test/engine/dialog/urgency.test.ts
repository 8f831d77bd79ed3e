import { describe, expect, it } from 'vitest';
import { endangersLife, reportsEmergency, statesTenantEmergency } from '../../../src/engine/dialog/urgency.js';
import { dialogConfig } from './fixtures.js';

const lifts = dialogConfig({
  outOfHoursMessage:
    "We're closed right now. If someone is stuck in a lift or a lift door won't close, call our on-call engineer at 020-555-0100.",
});
const pools = dialogConfig({
  knowledge: [
    {
      id: 'faq_pool',
      title: 'Do you have an emergency line?',
      content: 'Yes. If your pool pump has failed or the water has turned green, our 24/7 team is on 555-0199.',
    },
  ],
});

describe("a tenant's own emergencies", () => {
  it('reads the situations its emergency note names, as a phrase or two of their words', () => {
    expect(statesTenantEmergency("the lift door won't close and people are waiting!", lifts)).toBe(true);
    expect(statesTenantEmergency('the pump failed overnight and the water is going green', pools)).toBe(true);
  });

  it('does not read a planned job, or a word of the note alone, as an emergency', () => {
    expect(statesTenantEmergency('we would like a quote to modernise our lift door', lifts)).toBe(false);
    expect(statesTenantEmergency('when could your engineer come for a lift service?', lifts)).toBe(false);
    expect(statesTenantEmergency('can you quote a new pool pump?', pools)).toBe(false);
  });

  it('knows no emergencies for a tenant whose note gives no number', () => {
    const silent = dialogConfig({ outOfHoursMessage: "We're closed; if a lift door won't close, leave a message." });
    expect(statesTenantEmergency("the lift door won't close!", silent)).toBe(false);
  });
});

describe('someone trapped', () => {
  it('reads a boat taking on water as an emergency, and tells a life in danger from damage to property', () => {
    expect(reportsEmergency('my boat is taking on water at the dock and the bilge pump just quit')).toBe(true);
    expect(endangersLife('help my toddler is locked in the car')).toBe(true);
    expect(endangersLife('I smell gas in the basement')).toBe(true);
    expect(endangersLife('water is pouring through my ceiling')).toBe(false);
    expect(reportsEmergency('water is pouring through my ceiling')).toBe(true);
  });

  it('reads a child, a pet or a person locked in as an emergency', () => {
    expect(reportsEmergency('my puppy is locked in the bathroom')).toBe(true);
    expect(reportsEmergency('our daughter got stuck inside the car')).toBe(true);
    expect(reportsEmergency('I want a lock put in the bathroom door')).toBe(false);
  });
});

describe('electrical fire, heat and spoiling stock', () => {
  it('reads sparking or smoking wiring, a smell of burning, climbing heat and thawing stock as emergencies', () => {
    expect(reportsEmergency('the outlet in the hallway is sparking')).toBe(true);
    expect(reportsEmergency("it smells like something's burning behind the breaker box")).toBe(true);
    expect(reportsEmergency('sparks keep shooting out of the light switch')).toBe(true);
    expect(reportsEmergency('our freezer quit and the food is thawing')).toBe(true);
    expect(reportsEmergency('cooling is out in the data room and temps keep climbing')).toBe(true);
  });

  it('does not read a question about such work, or a spark long past, as one', () => {
    expect(reportsEmergency('do you replace old sparking outlets?')).toBe(false);
    expect(reportsEmergency('a plug sparked once last year, can you check the wiring')).toBe(false);
    expect(reportsEmergency('I want a smart thermostat so the temperature stays even')).toBe(false);
  });
});
