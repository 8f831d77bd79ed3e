import { describe, expect, it } from 'vitest';
import { daysBetween, leadsByChannel, tiersOverTime } from '../../web/app/src/analytics/aggregate.js';
import { figuresCsv, leadsCsv } from '../../web/app/src/analytics/csv.js';
import {
  dollars,
  duration,
  figureRows,
  funnelStages,
  shareOfLeads,
  type RangeFigures,
} from '../../web/app/src/analytics/figures.js';

/** The web app's analytics page: what it counts in the browser, how it words the server's figures, and its CSV files. */

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

  const figures: RangeFigures = {
    range: { from: '2026-11-01', to: '2026-11-30', timezone: 'America/New_York' },
    funnel: { leads: 4, qualified: 2, appointment_requested: 3, booked: 1 },
    time_to_book_minutes: { samples: 1, median: 150, p90: 150 },
    response_seconds: { bot: { samples: 2, median: 7, p90: 10 }, human: { samples: 0, median: null, p90: null } },
    costs: {
      ai_usd: 0.003,
      stt_usd: 0,
      total_usd: 0.003,
      ai_per_lead_usd: 0.00075,
      stt_per_lead_usd: 0,
      total_per_lead_usd: 0.00075,
    },
  };

  it('names the funnel’s stages in order with their share of the leads', () => {
    expect(funnelStages(figures.funnel).map((s) => [s.stage, s.leads])).toEqual([
      ['Leads', 4],
      ['Qualified', 2],
      ['Requested', 3],
      ['Booked', 1],
    ]);
    expect(shareOfLeads(3, 4)).toBe(75);
    expect(shareOfLeads(0, 0)).toBeNull();
  });

  it('words durations and dollars, and says so when nothing was measured', () => {
    expect(duration(7, 'seconds')).toBe('7 s');
    expect(duration(150, 'minutes')).toBe('2.5 h');
    expect(duration(45, 'minutes')).toBe('45 min');
    expect(duration(null, 'seconds')).toBe('not measured');
    expect(dollars(0.00075)).toBe('$0.0008');
    expect(dollars(12.5)).toBe('$12.50');
    expect(dollars(0)).toBe('$0.00');
    expect(dollars(null)).toBe('no leads');
  });

  it('writes every figure as a CSV row, empty for one not measured, and defuses formulas', () => {
    const lines = figuresCsv(figureRows(figures)).split('\r\n');
    expect(lines[0]).toBe('section,figure,value');
    expect(lines).toContain('range,timezone,America/New_York');
    expect(lines).toContain('funnel,Requested,3');
    expect(lines).toContain('time_to_book_minutes,median,150');
    expect(lines).toContain('human_response_seconds,median,');
    expect(lines).toContain('costs,ai_per_lead_usd,0.00075');
    expect(lines.at(-1)).toBe('');
    expect(figuresCsv([['=cmd', '-1+1', 'a,b']])).toBe('section,figure,value\r\n\'=cmd,\'-1+1,"a,b"\r\n');
  });
});
