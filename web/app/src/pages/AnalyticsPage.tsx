import { AreaChart, BarChart } from '@mantine/charts';
import { Button, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { leadsByChannel, tiersOverTime } from '../analytics/aggregate';
import { leadsCsv } from '../analytics/csv';
import { allLeads } from '../api/all-leads';
import { download } from '../download';
import { useRequest } from '../hooks/useRequest';
import { AnalyticsFigures } from './AnalyticsFigures';
import { ErrorAlert } from '../layout/ErrorAlert';

const DEFAULT_DAYS = 30;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The server's longest range (`GET /app/api/analytics`); checked here so a too-long range is explained, not refused. */
const MAX_DAYS = 366;

function rangeProblem(from: string, to: string): string | null {
  if (!from || !to) return 'Choose both a start and an end date.';
  if (from > to) return 'The start of the range is after its end.';
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > MAX_DAYS)
    return `The range is longer than ${MAX_DAYS} days; choose a shorter one.`;
  return null;
}

/**
 * The figures of a range of dates: the server's funnel, time to book, response times and costs
 * (days in the tenant's time zone), then leads by channel and tiers over time, counted in the
 * browser from the leads list of the range: the same rows the leads page shows (UTC days, as that
 * list filters), so the two never disagree.
 */
export function AnalyticsPage() {
  const [to, setTo] = useState(() => isoDay(new Date()));
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - (DEFAULT_DAYS - 1) * 86_400_000)));
  const problem = rangeProblem(from, to);
  const valid = problem === null;
  const leads = useRequest(() => allLeads({ from, to }), `${from}/${to}`);
  const rows = valid ? (leads.data?.leads ?? []) : [];
  return (
    <Stack>
      <Title order={1}>Analytics</Title>
      <Group align="end" role="group" aria-label="Date range">
        <TextInput label="From" type="date" value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput label="To" type="date" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} />
        <Button
          variant="default"
          disabled={!leads.data}
          onClick={() => download(`leads-${from}-to-${to}.csv`, leadsCsv(rows))}
        >
          Download leads (CSV)
        </Button>
      </Group>
      <ErrorAlert error={problem} />
      {valid && <AnalyticsFigures from={from} to={to} />}
      <ErrorAlert error={leads.error} />
      {leads.loading && <Loader aria-label="Loading leads" />}
      {valid && leads.data && (
        <>
          <Text>
            {rows.length} {rows.length === 1 ? 'lead' : 'leads'} from {from} to {to}
            {leads.data.total > rows.length ? `, counted from the first ${rows.length} of ${leads.data.total}` : ''}.
          </Text>
          <Paper withBorder p="md" component="section" aria-label="Leads by channel">
            <Title order={2} mb="sm">
              Leads by channel
            </Title>
            <BarChart
              h={260}
              data={leadsByChannel(rows)}
              dataKey="channel"
              series={[{ name: 'leads', label: 'Leads', color: 'teal.8' }]}
            />
          </Paper>
          <Paper withBorder p="md" component="section" aria-label="Tiers over time">
            <Title order={2} mb="sm">
              Tiers over time
            </Title>
            <AreaChart
              h={260}
              type="stacked"
              withLegend
              data={tiersOverTime(rows, from, to)}
              dataKey="day"
              series={[
                { name: 'HOT', color: 'red.8' },
                { name: 'WARM', color: 'orange.8' },
                { name: 'COLD', color: 'blue.8' },
                { name: 'Unscored', color: 'gray.6' },
              ]}
            />
          </Paper>
        </>
      )}
    </Stack>
  );
}
