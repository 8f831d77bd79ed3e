import { BarChart } from '@mantine/charts';
import { Button, Group, List, Loader, Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { figuresCsv } from '../analytics/csv';
import {
  dollars,
  duration,
  figureRows,
  funnelStages,
  shareOfLeads,
  type RangeFigures,
  type Spread,
} from '../analytics/figures';
import { api } from '../api/client';
import { download } from '../download';
import { useRequest } from '../hooks/useRequest';
import { ErrorAlert } from '../layout/ErrorAlert';

function FunnelSection({ funnel }: { funnel: RangeFigures['funnel'] }) {
  const stages = funnelStages(funnel);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="funnel-title">
      <Title order={2} mb="sm" id="funnel-title">
        Conversion funnel
      </Title>
      <BarChart
        h={220}
        data={stages}
        dataKey="stage"
        orientation="vertical"
        xAxisProps={{ allowDecimals: false }}
        yAxisProps={{ width: 80 }}
        series={[{ name: 'leads', label: 'Leads', color: 'teal.8' }]}
      />
      <List mt="sm" aria-label="Funnel stages">
        {stages.map((s) => {
          const share = shareOfLeads(s.leads, funnel.leads);
          return (
            <List.Item key={s.stage}>
              {s.description}: <strong>{s.leads}</strong>
              {share !== null && s.stage !== 'Leads' ? ` (${share}% of leads)` : ''}
            </List.Item>
          );
        })}
      </List>
    </Paper>
  );
}

function spreadText(s: Spread, unit: 'seconds' | 'minutes', counted: string): string {
  if (s.samples === 0) return `Nothing measured: no ${counted}.`;
  return `Median ${duration(s.median, unit)}, 90th percentile ${duration(s.p90, unit)}, over ${s.samples} ${counted}.`;
}

function TimesSection({ figures }: { figures: RangeFigures }) {
  const { bot, human } = figures.response_seconds;
  const chart = [
    { who: 'Bot', median: bot.median, p90: bot.p90 },
    { who: 'People', median: human.median, p90: human.p90 },
  ];
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="times-title">
      <Title order={2} mb="sm" id="times-title">
        Time to book and response times
      </Title>
      <List mb="sm">
        <List.Item>
          Time to book, from first contact: {spreadText(figures.time_to_book_minutes, 'minutes', 'bookings')}
        </List.Item>
        <List.Item>Bot replies: {spreadText(bot, 'seconds', 'replies')}</List.Item>
        <List.Item>Replies by people: {spreadText(human, 'seconds', 'replies')}</List.Item>
      </List>
      <BarChart
        h={200}
        data={chart}
        dataKey="who"
        unit=" s"
        withLegend
        series={[
          { name: 'median', label: 'Median', color: 'blue.8' },
          { name: 'p90', label: '90th percentile', color: 'orange.8' },
        ]}
      />
    </Paper>
  );
}

function CostsSection({ costs }: { costs: RangeFigures['costs'] }) {
  const rows: [string, number, number | null][] = [
    ['AI scoring', costs.ai_usd, costs.ai_per_lead_usd],
    ['Speech to text', costs.stt_usd, costs.stt_per_lead_usd],
    ['Total', costs.total_usd, costs.total_per_lead_usd],
  ];
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="costs-title">
      <Title order={2} mb="sm" id="costs-title">
        AI and speech-to-text cost
      </Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Cost</Table.Th>
            <Table.Th scope="col">In the range</Table.Th>
            <Table.Th scope="col">Per lead</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(([name, total, perLead]) => (
            <Table.Tr key={name}>
              <Table.Th scope="row">{name}</Table.Th>
              <Table.Td>{dollars(total)}</Table.Td>
              <Table.Td>{dollars(perLead)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** The server's figures of the range: the funnel, time to book, response times and costs, each as a chart and as text. */
export function AnalyticsFigures({ from, to }: { from: string; to: string }) {
  const figures = useRequest(() => api.GET('/app/api/analytics', { params: { query: { from, to } } }), `${from}/${to}`);
  const data = figures.data;
  return (
    <>
      <ErrorAlert error={figures.error} />
      {figures.loading && <Loader aria-label="Loading figures" />}
      {data && (
        <>
          <Group justify="space-between">
            <Text>
              Figures from {data.range.from} to {data.range.to}, days in {data.range.timezone}.
            </Text>
            <Button
              variant="default"
              onClick={() => download(`figures-${from}-to-${to}.csv`, figuresCsv(figureRows(data)))}
            >
              Download figures (CSV)
            </Button>
          </Group>
          <FunnelSection funnel={data.funnel} />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <TimesSection figures={data} />
            <CostsSection costs={data.costs} />
          </SimpleGrid>
        </>
      )}
    </>
  );
}
