import { Alert, Badge, Button, Group, Loader, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import type { ConversationDetail, LiveEvent } from '../api/app-api';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import { useLiveEvents } from '../hooks/useLiveEvents';
import { useRequest } from '../hooks/useRequest';
import { statusLabel, when } from '../labels';
import { canAct, useSession } from '../session';
import { briefingLines } from './briefing';
import { LeadScoreCard } from './LeadScoreCard';
import { ErrorAlert } from '../layout/ErrorAlert';

/** While the live stream is down, the customer's new messages still appear within this long. */
const FALLBACK_POLL_MS = 15_000;
/** How long "typing" shows when the visitor's widget did not say how long they type for. */
const TYPING_SHOWN_MS = 5_000;

/**
 * Whether the visitor is typing, from the conversation's live events (`hear`): a `typing` event
 * from the customer starts it, their next message or the time it named ends it.
 */
function useVisitorTyping(id: string): { typing: boolean; hear: (event: LiveEvent) => void } {
  const [until, setUntil] = useState(0);
  const hear = (event: LiveEvent) => {
    if (event.type === 'typing' && event.data.sender === 'customer') {
      const duration = typeof event.data.duration_ms === 'number' ? event.data.duration_ms : TYPING_SHOWN_MS;
      setUntil(Date.now() + Math.max(duration, TYPING_SHOWN_MS));
    } else if (event.type === 'message.created' && event.data.direction === 'inbound') setUntil(0);
  };
  useEffect(() => {
    if (until === 0) return;
    // Hidden again once the time is up, unless another typing event extended it.
    const timer = window.setTimeout(() => setUntil((current) => (current === until ? 0 : current)), until - Date.now());
    return () => window.clearTimeout(timer);
  }, [until]);
  useEffect(() => setUntil(0), [id]);
  return { typing: until > 0, hear };
}

/** Announced to screen readers as it changes; empty while nobody types. */
function TypingIndicator({ typing }: { typing: boolean }) {
  return (
    <Text size="sm" c="dimmed" fs="italic" aria-live="polite" mih="1.4em">
      {typing ? 'Visitor is typing…' : ''}
    </Text>
  );
}

type Action = 'takeover' | 'handback' | 'close' | 'reopen';

const ACTIONS: Record<Action, { label: string; shows: (c: ConversationDetail) => boolean }> = {
  takeover: { label: 'Take over', shows: (c) => c.status !== 'closed' && c.status !== 'with_agent' },
  handback: { label: 'Hand back to the bot', shows: (c) => c.status === 'with_agent' },
  close: { label: 'Close', shows: (c) => c.status !== 'closed' },
  reopen: { label: 'Reopen', shows: (c) => c.status === 'closed' },
};

function runAction(action: Action, id: string) {
  const params = { params: { path: { id } } };
  switch (action) {
    case 'takeover':
      return api.POST('/app/api/conversations/{id}/takeover', params);
    case 'handback':
      return api.POST('/app/api/conversations/{id}/handback', params);
    case 'close':
      return api.POST('/app/api/conversations/{id}/close', { ...params, body: { resolution: 'resolved' } });
    case 'reopen':
      return api.POST('/app/api/conversations/{id}/reopen', params);
  }
}

function Transcript({ conversation }: { conversation: ConversationDetail }) {
  return (
    <Paper withBorder p="md" component="section" aria-label="Transcript">
      <Title order={3} mb="xs">
        Transcript
      </Title>
      <Stack gap="xs" role="log" aria-live="polite" aria-label="Messages">
        {conversation.transcript.map((m) => (
          <Paper
            key={m.id}
            p="xs"
            bg={m.direction === 'inbound' ? 'var(--mantine-color-gray-light)' : 'var(--mantine-color-teal-light)'}
          >
            <Text size="xs" c="dimmed">
              {m.sender} · {when(m.created_at)}
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{m.text ?? '(no text)'}</Text>
          </Paper>
        ))}
      </Stack>
    </Paper>
  );
}

function ReplyForm({ id, onSent }: { id: string; onSent: () => Promise<void> }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const answer = await api.POST('/app/api/conversations/{id}/reply', { params: { path: { id } }, body: { text } });
    setBusy(false);
    if (!answer.response.ok) return setError(errorMessage(answer.error, answer.response));
    setText('');
    setError(null);
    await onSent();
  };
  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Reply">
      <Stack gap="xs">
        <Textarea
          label="Your reply"
          required
          autosize
          minRows={2}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <ErrorAlert error={error} />
        <Button type="submit" loading={busy} disabled={!text.trim()}>
          Send reply
        </Button>
      </Stack>
    </form>
  );
}

function Actions({ conversation, onChanged }: { conversation: ConversationDetail; onChanged: () => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const act = async (action: Action) => {
    const answer = await runAction(action, conversation.id);
    setError(answer.response.ok ? null : errorMessage(answer.error, answer.response));
    await onChanged();
  };
  return (
    <Stack gap="xs">
      <Group gap="xs">
        {(Object.keys(ACTIONS) as Action[])
          .filter((action) => ACTIONS[action].shows(conversation))
          .map((action) => (
            <Button
              key={action}
              variant={action === 'takeover' ? 'filled' : 'default'}
              onClick={() => void act(action)}
            >
              {ACTIONS[action].label}
            </Button>
          ))}
      </Group>
      <ErrorAlert error={error} />
    </Stack>
  );
}

function ContactCard({ conversation }: { conversation: ConversationDetail }) {
  const contact = conversation.contact;
  return (
    <Paper withBorder p="md" component="section" aria-label="Contact">
      <Title order={3} mb="xs">
        Contact
      </Title>
      {contact.name || contact.email || contact.phone ? (
        <Stack gap={2}>
          <Text fw={600}>{contact.name ?? 'Name not given'}</Text>
          {contact.email && <Text size="sm">{contact.email}</Text>}
          {contact.phone && <Text size="sm">{contact.phone}</Text>}
        </Stack>
      ) : (
        <Text c="dimmed">No contact details yet.</Text>
      )}
    </Paper>
  );
}

/** One conversation: what was said, who said it, what the lead is worth, and what a person can do now. */
export function ConversationPanel({ id, onChanged }: { id: string; onChanged: () => Promise<void> }) {
  const { me } = useSession();
  const visitor = useVisitorTyping(id);
  // The handlers run after this render, once `detail` is known.
  const live = useLiveEvents(
    (heard) => {
      if (heard.conversation_id !== id) return;
      visitor.hear(heard);
      if (heard.type !== 'typing') void detail.reload();
    },
    () => void detail.reload(),
  );
  const detail = useRequest(
    () => api.GET('/app/api/conversations/{id}', { params: { path: { id } } }),
    id,
    live === 'open' ? undefined : FALLBACK_POLL_MS,
  );
  const c = detail.data;
  const changed = async () => {
    await detail.reload();
    await onChanged();
  };
  if (detail.error && !c) return <ErrorAlert error={detail.error} />;
  if (!c) return <Loader aria-label="Loading the conversation" />;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{c.contact.name ?? c.lead?.name ?? 'Unknown visitor'}</Title>
        <Badge variant="outline">
          {c.channel} · {statusLabel(c.status)}
        </Badge>
      </Group>
      {canAct(me) && <Actions conversation={c} onChanged={changed} />}
      {c.handoff && (
        <Alert color="orange" title="Handoff briefing" role="note">
          {c.handoff.reason && <Text fw={600}>{c.handoff.reason}</Text>}
          {c.handoff.note && <Text>{c.handoff.note}</Text>}
          {briefingLines(c.handoff.briefing).map((line) => (
            <Text key={line.label} size="sm">
              <Text span fw={600}>
                {line.label}:
              </Text>{' '}
              {line.text}
            </Text>
          ))}
          <Text size="xs">Asked for a person {when(c.handoff.created_at)}</Text>
        </Alert>
      )}
      <Transcript conversation={c} />
      <TypingIndicator typing={visitor.typing} />
      {canAct(me) && c.status === 'with_agent' && <ReplyForm id={c.id} onSent={changed} />}
      <ContactCard conversation={c} />
      {c.lead && <LeadScoreCard lead={c.lead} />}
    </Stack>
  );
}
