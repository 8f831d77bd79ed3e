import { AreaChart, BarChart } from '@mantine/charts';
import { Alert, Button, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { leadsByChannel, tiersOverTime } from '../analytics/aggregate';
import { leadsCsv } from '../analytics/csv';
import { allLeads } from '../api/all-leads';
import { useRequest } from '../hooks/useRequest';

const DEFAULT_DAYS = 30;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * Leads by channel and tiers over time, counted in the browser from the leads list of the chosen
 * range: the same rows the leads page shows, so the two never disagree.
 */
export function AnalyticsPage() {
  const [to, setTo] = useState(() => isoDay(new Date()));
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - (DEFAULT_DAYS - 1) * 86_400_000)));
  const valid = from <= to;
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
          Download CSV
        </Button>
      </Group>
      {!valid && (
        <Alert color="red" role="alert">
          The start of the range is after its end.
        </Alert>
      )}
      {leads.error && (
        <Alert color="red" role="alert">
          {leads.error}
        </Alert>
      )}
      {leads.loading && <Loader aria-label="Loading leads" />}
      {leads.data && (
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
