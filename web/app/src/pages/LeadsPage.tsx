import { Badge, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { LeadFilters } from '../api/app-api';
import { api } from '../api/client';
import { useLiveEvents } from '../hooks/useLiveEvents';
import { useRequest } from '../hooks/useRequest';
import { LiveStatus } from '../layout/LiveStatus';
import { Link } from '../Link';
import { TIERS, tierColor, when } from '../labels';
import { BASE } from '../router';
import { DateRangeInputs, filterSetter, ListPagination, pageOf } from './list-query';
import { ErrorAlert } from '../layout/ErrorAlert';

/** While the live stream is down, new leads still appear within this long. */
const FALLBACK_POLL_MS = 30_000;
const FILTERS = ['source', 'status', 'from', 'to'] as const;
const PAGE_SIZE = 50;

const LEAD_STATUSES = ['new', 'qualified', 'contacted', 'won', 'lost'];

function filtersOf(query: URLSearchParams): LeadFilters {
  const tier = query.get('tier');
  const chosen: LeadFilters = Object.fromEntries(
    FILTERS.flatMap((name) => (query.get(name) ? [[name, query.get(name)]] : [])),
  );
  if (tier === 'HOT' || tier === 'WARM' || tier === 'COLD') chosen.tier = tier;
  return { ...chosen, limit: PAGE_SIZE, offset: (pageOf(query) - 1) * PAGE_SIZE };
}

function LeadFiltersForm({ query }: { query: URLSearchParams }) {
  const change = filterSetter(`${BASE}/leads`, query);
  return (
    <Group grow align="end" role="search" aria-label="Filter leads" wrap="wrap">
      <Select
        label="Tier"
        placeholder="Any"
        clearable
        data={TIERS}
        value={query.get('tier')}
        onChange={change('tier')}
      />
      <TextInput
        label="Source"
        placeholder="Any"
        defaultValue={query.get('source') ?? ''}
        onBlur={(e) => change('source')(e.currentTarget.value.trim())}
      />
      <Select
        label="Status"
        placeholder="Any"
        clearable
        data={LEAD_STATUSES}
        value={query.get('status')}
        onChange={change('status')}
      />
      <DateRangeInputs query={query} change={change} />
    </Group>
  );
}

/** Every lead of the tenant in one list, newest first as the server orders them. */
export function LeadsPage({ query }: { query: URLSearchParams }) {
  const filters = filtersOf(query);
  // A lead stored or scored again anywhere shows at once, with its tier; the handlers run after this render.
  const live = useLiveEvents(
    (event) => {
      if (event.type === 'lead.created' || event.type === 'lead.updated') void leads.reload();
    },
    () => void leads.reload(),
  );
  const leads = useRequest(
    () => api.GET('/app/api/leads', { params: { query: filters } }),
    JSON.stringify(filters),
    live === 'open' ? undefined : FALLBACK_POLL_MS,
  );
  return (
    <Stack>
      <Title order={1}>Leads</Title>
      <LiveStatus state={live} pollSeconds={FALLBACK_POLL_MS / 1000} />
      <LeadFiltersForm query={query} />
      <ErrorAlert error={leads.error} />
      {leads.loading && <Loader aria-label="Loading leads" />}
      {leads.data && leads.data.leads.length === 0 && <Text>No leads match these filters.</Text>}
      {leads.data && leads.data.leads.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Lead</Table.Th>
                <Table.Th scope="col">Score</Table.Th>
                <Table.Th scope="col">Source</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Received</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {leads.data.leads.map((lead) => (
                <Table.Tr key={lead.id}>
                  <Table.Td>
                    <Link href={`${BASE}/leads/${encodeURIComponent(lead.id)}`}>
                      {lead.name ?? lead.email ?? lead.phone ?? lead.id}
                    </Link>
                    {lead.company && (
                      <Text size="xs" c="dimmed">
                        {lead.company}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {lead.score ?? '—'}
                      {lead.tier && <Badge color={tierColor(lead.tier)}>{lead.tier}</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td>{lead.source}</Table.Td>
                  <Table.Td>{lead.status}</Table.Td>
                  <Table.Td>{when(lead.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {leads.data && (
        <ListPagination path={`${BASE}/leads`} query={query} total={leads.data.total} pageSize={PAGE_SIZE} />
      )}
    </Stack>
  );
}
