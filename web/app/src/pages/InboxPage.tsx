import { Alert, Badge, Grid, Group, Loader, Paper, Select, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import type { ConversationListItem } from '../api/app-api';
import { api } from '../api/client';
import { useRequest } from '../hooks/useRequest';
import { followLink, Link } from '../Link';
import { CHANNELS, CONVERSATION_STATUSES, statusLabel, tierColor, when } from '../labels';
import { BASE, navigate } from '../router';
import { ConversationPanel } from './ConversationPanel';

/** New conversations and messages appear within this long without a reload. */
const LIST_POLL_MS = 5_000;

const FILTERS = ['status', 'channel', 'assignee'] as const;

function withFilter(query: URLSearchParams, name: string, value: string | null): string {
  const next = new URLSearchParams(query);
  if (value) next.set(name, value);
  else next.delete(name);
  const text = next.toString();
  return `${BASE}/inbox${text ? `?${text}` : ''}`;
}

function Filters({ query }: { query: URLSearchParams }) {
  const change = (name: string) => (value: string | null) =>
    navigate(withFilter(query, name, value), { replace: true });
  return (
    <Group grow align="end" role="search" aria-label="Filter conversations">
      <Select
        label="Status"
        placeholder="Any"
        clearable
        data={CONVERSATION_STATUSES.map((value) => ({ value, label: statusLabel(value) }))}
        value={query.get('status')}
        onChange={change('status')}
      />
      <Select
        label="Channel"
        placeholder="Any"
        clearable
        data={CHANNELS}
        value={query.get('channel')}
        onChange={change('channel')}
      />
      <Select
        label="Assignee"
        placeholder="Anyone"
        clearable
        data={[
          { value: 'me', label: 'Me' },
          { value: 'unassigned', label: 'Unassigned' },
        ]}
        value={query.get('assignee')}
        onChange={change('assignee')}
      />
    </Group>
  );
}

function ConversationRow({ item, selected, query }: { item: ConversationListItem; selected: boolean; query: string }) {
  const href = `${BASE}/inbox/${encodeURIComponent(item.id)}${query ? `?${query}` : ''}`;
  return (
    <UnstyledButton
      component="a"
      href={href}
      onClick={(event) => followLink(event, href)}
      aria-current={selected ? 'true' : undefined}
      p="sm"
      bg={selected ? 'var(--mantine-color-teal-light)' : undefined}
      style={{ display: 'block', borderRadius: 'var(--mantine-radius-sm)' }}
    >
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600} truncate>
          {item.contact_name ?? 'Unknown visitor'}
        </Text>
        {item.lead_tier && <Badge color={tierColor(item.lead_tier)}>{item.lead_tier}</Badge>}
      </Group>
      <Text size="sm" c="dimmed" lineClamp={1}>
        {item.last_message ?? 'No messages yet'}
      </Text>
      <Text size="xs" c="dimmed">
        {item.channel} · {statusLabel(item.status)} ·{' '}
        {item.assignee ? (item.assignee.name ?? item.assignee.id) : 'unassigned'} · {when(item.last_activity_at)}
      </Text>
    </UnstyledButton>
  );
}

/** The list of conversations beside the open one; at phone width only one of the two shows. */
export function InboxPage({ conversationId, query }: { conversationId: string | null; query: URLSearchParams }) {
  const filters = Object.fromEntries(
    FILTERS.flatMap((name) => (query.get(name) ? [[name, query.get(name) ?? '']] : [])),
  );
  const list = useRequest(
    () => api.GET('/app/api/conversations', { params: { query: filters } }),
    JSON.stringify(filters),
    LIST_POLL_MS,
  );
  const queryText = query.toString();
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 5 }} display={{ base: conversationId ? 'none' : 'block', md: 'block' }}>
        <Stack>
          <Title order={1}>Inbox</Title>
          <Filters query={query} />
          {list.error && (
            <Alert color="red" role="alert">
              {list.error}
            </Alert>
          )}
          {list.loading && <Loader aria-label="Loading conversations" />}
          {list.data && list.data.data.length === 0 && <Text>No conversations match these filters.</Text>}
          <Paper withBorder component="ul" aria-label="Conversations" p={0} m={0} style={{ listStyle: 'none' }}>
            {list.data?.data.map((item) => (
              <li key={item.id}>
                <ConversationRow item={item} selected={item.id === conversationId} query={queryText} />
              </li>
            ))}
          </Paper>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        {conversationId ? (
          <Stack>
            <Link href={`${BASE}/inbox${queryText ? `?${queryText}` : ''}`} hiddenFrom="md">
              Back to the inbox
            </Link>
            <ConversationPanel id={conversationId} onChanged={list.reload} />
          </Stack>
        ) : (
          <Text c="dimmed" visibleFrom="md" mt="xl">
            Choose a conversation to read it.
          </Text>
        )}
      </Grid.Col>
    </Grid>
  );
}
