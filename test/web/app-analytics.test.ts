import { describe, expect, it } from 'vitest';
import { daysBetween, leadsByChannel, tiersOverTime } from '../../web/app/src/analytics/aggregate.js';
import { leadsCsv } from '../../web/app/src/analytics/csv.js';

/** The web app's analytics page counts in the browser; these are its counts and its CSV. */

const lead = (source: string, tier: string | null, created_at: string) => ({ source, tier, created_at });

describe('the web app’s analytics', () => {
  it('counts leads per channel, the busiest first and ties by name', () => {
    const leads = [lead('sms', 'HOT', '2026-12-01T10:00:00Z'), lead('web', null, '2026-12-01T11:00:00Z')];
    leads.push(lead('web', 'COLD', '2026-12-02T09:00:00Z'), lead('voice', 'WARM', '2026-12-02T09:30:00Z'));
    expect(leadsByChannel(leads)).toEqual([
      { channel: 'web', leads: 2 },
      { channel: 'sms', leads: 1 },
      { channel: 'voice', leads: 1 },
    ]);
  });

  it('counts tiers per UTC day, quiet days as zero and leads outside the range not at all', () => {
    const leads = [
      lead('web', 'HOT', '2026-12-01T23:59:59Z'),
      lead('web', 'hot', '2026-12-01T08:00:00Z'),
      lead('sms', 'WARM', '2026-12-03T00:00:00Z'),
      lead('sms', null, '2026-12-03T12:00:00Z'),
      lead('sms', 'COLD', '2026-12-04T12:00:00Z'),
    ];
    expect(tiersOverTime(leads, '2026-12-01', '2026-12-03')).toEqual([
      { day: '2026-12-01', HOT: 2, WARM: 0, COLD: 0, Unscored: 0 },
      { day: '2026-12-02', HOT: 0, WARM: 0, COLD: 0, Unscored: 0 },
      { day: '2026-12-03', HOT: 0, WARM: 1, COLD: 0, Unscored: 1 },
    ]);
  });

  it('lists the days of a range across a month’s end, and none for a reversed range', () => {
    expect(daysBetween('2026-11-29', '2026-12-01')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01']);
    expect(daysBetween('2026-12-02', '2026-12-01')).toEqual([]);
  });

  it('writes the leads as CSV that quotes commas and quotes and defuses spreadsheet formulas', () => {
    const csv = leadsCsv([
      {
        id: 'lead_1',
        created_at: '2026-12-01T10:00:00Z',
        name: 'Doe, "Jane"',
        email: 'jane@example.com',
        phone: '+14155550100',
        company: '=HYPERLINK("http://evil")',
        source: 'web',
        status: 'new',
        score: 87,
        tier: 'HOT',
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'id,created_at,name,email,phone,company,source,status,score,tier',
      'lead_1,2026-12-01T10:00:00Z,"Doe, ""Jane""",jane@example.com,\'+14155550100,"\'=HYPERLINK(""http://evil"")",web,new,87,HOT',
      '',
    ]);
  });
});
