import { Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { HealthProbe, PlatformTenant, PlatformView } from '../api/app-api';
import { api } from '../api/client';
import { useRequest } from '../hooks/useRequest';
import { Link } from '../Link';
import { BASE } from '../router';
import { ErrorAlert } from '../layout/ErrorAlert';

const readable = (name: string): string => name.replace(/[_.]/g, ' ');

/** This month's counters in one line each; a tenant with none has simply done nothing yet. */
function UsageCell({ usage }: { usage: PlatformTenant['usage'] }) {
  const counters = Object.entries(usage).filter(([, n]) => n > 0);
  if (counters.length === 0) return <Text size="sm">Nothing yet</Text>;
  return (
    <Stack gap={0}>
      {counters.map(([name, n]) => (
        <Text key={name} size="sm">
          {readable(name)}: {n.toLocaleString()}
        </Text>
      ))}
    </Stack>
  );
}

function TenantsTable({ view }: { view: PlatformView }) {
  return (
    <Stack gap="xs" component="section" aria-labelledby="platform-tenants">
      <Title order={2} id="platform-tenants" size="h3">
        Tenants ({view.total_tenants})
      </Title>
      {view.tenants.length === 0 ? (
        <Text>No tenant yet.</Text>
      ) : (
        <Table striped aria-labelledby="platform-tenants" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Plan</Table.Th>
              <Table.Th>Usage in {view.usage_period}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.tenants.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{t.name}</Table.Td>
                <Table.Td>{t.status}</Table.Td>
                <Table.Td>{t.plan}</Table.Td>
                <Table.Td>
                  <UsageCell usage={t.usage} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function Activity({ view }: { view: PlatformView }) {
  const stats = [
    { label: 'Active conversations, last 24 hours', value: view.activity.active_conversations_24h },
    { label: 'Messages processed, last 24 hours', value: view.activity.messages_processed_24h },
  ];
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} component="section" aria-label="The last day's activity">
      {stats.map((s) => (
        <Paper key={s.label} withBorder p="md">
          <Text size="sm">{s.label}</Text>
          <Text fw={700} size="xl">
            {s.value.toLocaleString()}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function Probe({ probe }: { probe: HealthProbe }) {
  const ok = probe.status === 'healthy';
  return (
    <Paper withBorder p="sm" component="li">
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600}>{readable(probe.name)}</Text>
        {/* Filled badges: the light variant's tinted text reads below 4.5:1. */}
        <Badge color={ok ? 'teal.9' : 'red.9'} variant="filled">
          {ok ? 'ok' : 'failing'}
        </Badge>
      </Group>
      {probe.reason && (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {probe.reason}
        </Text>
      )}
    </Paper>
  );
}

function Health({ view }: { view: PlatformView }) {
  return (
    <Stack gap="xs" component="section" aria-labelledby="platform-health">
      <Title order={2} id="platform-health" size="h3">
        Health: {view.health.status}
      </Title>
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Health probes">
        {view.health.probes.map((p) => (
          <Probe key={p.name} probe={p} />
        ))}
      </Stack>
    </Stack>
  );
}

/** The platform admin's view: every tenant with this month's usage, the last day's load and the health probes. */
export function PlatformPage() {
  const { data, error, loading, reload } = useRequest(() => api.GET('/app/api/platform'), 'platform');
  const [refreshing, setRefreshing] = useState(false);
  const refresh = async () => {
    setRefreshing(true);
    await reload();
    setRefreshing(false);
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Platform</Title>
        <Button variant="default" onClick={() => void refresh()} loading={refreshing}>
          Refresh
        </Button>
      </Group>
      <ErrorAlert error={error} />
      {loading && !data && <Loader aria-label="Loading the platform view" />}
      {data && (
        <>
          <Activity view={data} />
          <Health view={data} />
          <TenantsTable view={data} />
        </>
      )}
    </Stack>
  );
}

/** What the admin key's session meets on a tenant's page: it has no tenant, so it is sent to its one page. */
export function PlatformOnlyNotice() {
  return (
    <Stack>
      <Title order={1}>This page is for a tenant’s team</Title>
      <Text>
        You are signed in with the platform admin key, which opens the platform view only. Sign in as a tenant’s person
        to see its conversations, leads and settings.
      </Text>
      <Link href={`${BASE}/platform`}>Open the platform view</Link>
    </Stack>
  );
}
