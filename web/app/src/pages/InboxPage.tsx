import { Badge, Grid, Group, Loader, Paper, Select, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import type { ConversationFilters, ConversationListItem } from '../api/app-api';
import { api } from '../api/client';
import { useLiveEvents } from '../hooks/useLiveEvents';
import { useRequest } from '../hooks/useRequest';
import { LiveStatus } from '../layout/LiveStatus';
import { followLink, Link } from '../Link';
import { CHANNELS, CONVERSATION_STATUSES, isConversationStatus, statusLabel, when } from '../labels';
import { BASE, navigate } from '../router';
import { ConversationPanel } from './ConversationPanel';
import { ErrorAlert } from '../layout/ErrorAlert';

/** While the live stream is down, new conversations and messages still appear within this long. */
const FALLBACK_POLL_MS = 30_000;

/** The events that change a row of the list; typing does not. */
const LIST_EVENTS = new Set(['message.created', 'conversation.transferred', 'conversation.updated']);

/** The server's most per page; an inbox longer than that shows the latest. */
const LIST_LIMIT = 100;

function filtersOf(query: URLSearchParams): ConversationFilters {
  const status = query.get('status');
  const channel = query.get('channel');
  const assignee = query.get('assignee');
  return {
    limit: LIST_LIMIT,
    ...(isConversationStatus(status) ? { status } : {}),
    ...(channel ? { channel } : {}),
    ...(assignee ? { assignee } : {}),
  };
}

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
        data={[{ value: 'me', label: 'Me' }]}
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
        <Text fw={600} lineClamp={1}>
          {item.summary ?? `A ${item.channel} conversation`}
        </Text>
        <Badge variant="outline" color="gray.7" style={{ flexShrink: 0 }}>
          {statusLabel(item.status)}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed">
        {item.channel} · {item.message_count} {item.message_count === 1 ? 'message' : 'messages'} ·{' '}
        {item.assigned_agent_id ? 'assigned' : 'unassigned'} · {when(item.last_activity_at)}
      </Text>
    </UnstyledButton>
  );
}

/** The list of conversations beside the open one; at phone width only one of the two shows. */
export function InboxPage({ conversationId, query }: { conversationId: string | null; query: URLSearchParams }) {
  const filters = filtersOf(query);
  // Every channel's conversations publish here, so the list is refetched at once; the handlers run after this render.
  const live = useLiveEvents(
    (event) => {
      if (LIST_EVENTS.has(event.type)) void list.reload();
    },
    () => void list.reload(),
  );
  const list = useRequest(
    () => api.GET('/app/api/conversations', { params: { query: filters } }),
    JSON.stringify(filters),
    live === 'open' ? undefined : FALLBACK_POLL_MS,
  );
  const queryText = query.toString();
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 5 }} display={{ base: conversationId ? 'none' : 'block', md: 'block' }}>
        <Stack>
          <Title order={1}>Inbox</Title>
          <LiveStatus state={live} pollSeconds={FALLBACK_POLL_MS / 1000} />
          <Filters query={query} />
          <ErrorAlert error={list.error} />
          {list.loading && <Loader aria-label="Loading conversations" />}
          {list.data && list.data.conversations.length === 0 && <Text>No conversations match these filters.</Text>}
          {list.data && list.data.total > list.data.conversations.length && (
            <Text size="sm">
              The {list.data.conversations.length} with the latest activity of {list.data.total}.
            </Text>
          )}
          <Paper withBorder component="ul" aria-label="Conversations" p={0} m={0} style={{ listStyle: 'none' }}>
            {list.data?.conversations.map((item) => (
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
