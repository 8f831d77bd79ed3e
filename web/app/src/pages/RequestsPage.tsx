import { Badge, Loader, Select, Stack, Table, Text, Title, Group } from '@mantine/core';
import type { RequestFilters } from '../api/app-api';
import { api } from '../api/client';
import { useRequest } from '../hooks/useRequest';
import { Link } from '../Link';
import { when } from '../labels';
import { BASE } from '../router';
import { DateRangeInputs, filterSetter, ListPagination, pageOf } from './list-query';
import { isRequestStatus, REQUEST_STATUSES, requestStatusLabel, statusColor } from './request-labels';
import { ErrorAlert } from '../layout/ErrorAlert';

const LIST_POLL_MS = 10_000;
const PAGE_SIZE = 25;

function filtersOf(query: URLSearchParams): RequestFilters {
  const status = query.get('status');
  const from = query.get('from');
  const to = query.get('to');
  return {
    ...(isRequestStatus(status) ? { status } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    limit: PAGE_SIZE,
    offset: (pageOf(query) - 1) * PAGE_SIZE,
  };
}

function RequestFiltersForm({ query }: { query: URLSearchParams }) {
  const change = filterSetter(`${BASE}/requests`, query);
  return (
    <Group grow align="end" role="search" aria-label="Filter requests" wrap="wrap">
      <Select
        label="Status"
        placeholder="Any"
        clearable
        data={REQUEST_STATUSES}
        value={query.get('status')}
        onChange={change('status')}
      />
      <DateRangeInputs query={query} change={change} />
    </Group>
  );
}

/** The calls and form leads the pipeline has taken in, newest first, with the failed ones marked. */
export function RequestsPage({ query }: { query: URLSearchParams }) {
  const filters = filtersOf(query);
  const requests = useRequest(
    () => api.GET('/app/api/requests', { params: { query: filters } }),
    JSON.stringify(filters),
    LIST_POLL_MS,
  );
  const data = requests.data;
  return (
    <Stack>
      <Title order={1}>Requests</Title>
      <Text c="dimmed">Every call and form lead on its way to becoming a lead. Open a failed one to retry it.</Text>
      <RequestFiltersForm query={query} />
      <ErrorAlert error={requests.error} />
      {requests.loading && <Loader aria-label="Loading requests" />}
      {data && data.requests.length === 0 && <Text>No requests match these filters.</Text>}
      {data && data.requests.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Caller</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Source</Table.Th>
                <Table.Th scope="col">Received</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.requests.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Link href={`${BASE}/requests/${encodeURIComponent(r.id)}`}>
                      {r.caller.name ?? r.caller.phone ?? r.caller.email ?? r.id}
                    </Link>
                    {r.error_message && (
                      <Text size="xs" c="red.9" lineClamp={2}>
                        {r.error_message}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={statusColor(r.status)}>{requestStatusLabel(r.status)}</Badge>
                  </Table.Td>
                  <Table.Td>{r.source}</Table.Td>
                  <Table.Td>{when(r.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {data && <ListPagination path={`${BASE}/requests`} query={query} total={data.total} pageSize={PAGE_SIZE} />}
    </Stack>
  );
}
