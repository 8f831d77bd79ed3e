import { Anchor, Badge, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { AppointmentItem } from '../api/app-api';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import { instantOf, localInputOf, timeIn } from '../appointments/calendar';
import { Link } from '../Link';
import { BASE } from '../router';
import { ErrorAlert } from '../layout/ErrorAlert';

const STATUS: Record<string, string> = {
  requested: 'Awaiting a time',
  scheduled: 'Booked, not confirmed',
  confirmed: 'Confirmed',
  reschedule_requested: 'Customer asked to reschedule',
  completed: 'Completed',
  cancelled: 'Cancelled',
};
const CLOSED = new Set(['completed', 'cancelled']);

/** The time an appointment stands at in the tenant's zone: a booked start, or the window the customer asked for. */
function timeOf(a: AppointmentItem, zone: string): string {
  if (!a.start) return a.preferred_time ? `Asked for “${a.preferred_time}”` : 'No time given';
  const start = timeIn(a.start, zone);
  return a.end ? `${start}–${timeIn(a.end, zone)}` : start;
}

type Mode = 'idle' | 'reschedule' | 'cancel';

function RescheduleForm({ a, zone, onDone }: { a: AppointmentItem; zone: string; onDone: (error?: string) => void }) {
  const [value, setValue] = useState(a.start ? localInputOf(a.start, zone) : '');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await api.POST('/app/api/appointments/{id}/reschedule', {
      params: { path: { id: a.id } },
      body: { start: instantOf(value, zone) },
    });
    onDone(answer.response.ok ? undefined : errorMessage(answer.error, answer.response));
  };
  return (
    <form onSubmit={(event) => void submit(event)} aria-label={`Reschedule ${nameOf(a)}`}>
      <Group align="end" wrap="wrap">
        <TextInput
          label={`New time (${zone})`}
          type="datetime-local"
          required
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
        />
        <Button type="submit">Save new time</Button>
        <Button variant="default" onClick={() => onDone()}>
          Keep the time
        </Button>
      </Group>
    </form>
  );
}

function CancelForm({ a, onDone }: { a: AppointmentItem; onDone: (error?: string) => void }) {
  const [reason, setReason] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await api.POST('/app/api/appointments/{id}/cancel', {
      params: { path: { id: a.id } },
      body: reason.trim() ? { reason: reason.trim() } : {},
    });
    onDone(answer.response.ok ? undefined : errorMessage(answer.error, answer.response));
  };
  return (
    <form onSubmit={(event) => void submit(event)} aria-label={`Cancel ${nameOf(a)}`}>
      <Group align="end" wrap="wrap">
        <TextInput label="Reason (optional)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Button type="submit" color="red.9">
          Cancel appointment
        </Button>
        <Button variant="default" onClick={() => onDone()}>
          Keep it
        </Button>
      </Group>
    </form>
  );
}

/** A window the customer asked for ("tomorrow morning") is not yet a time to confirm: it is rescheduled to one first. */
const hasExactTime = (a: AppointmentItem) => a.start !== null && !(a.kind === 'requested' && a.end !== null);

const nameOf = (a: AppointmentItem) => a.contact.name ?? a.contact.phone ?? 'Unnamed customer';

function Actions({ a, zone, onChanged }: { a: AppointmentItem; zone: string; onChanged: () => void }) {
  const [mode, setMode] = useState<Mode>('idle');
  const [error, setError] = useState<string | null>(null);
  const done = (failure?: string) => {
    setError(failure ?? null);
    if (!failure) {
      setMode('idle');
      onChanged();
    }
  };
  const confirm = async () => {
    const answer = await api.POST('/app/api/appointments/{id}/confirm', { params: { path: { id: a.id } } });
    done(answer.response.ok ? undefined : errorMessage(answer.error, answer.response));
  };
  return (
    <Stack gap="xs">
      {mode === 'idle' && (
        <Group gap="xs" wrap="wrap">
          {a.status !== 'confirmed' && hasExactTime(a) && (
            <Button size="xs" onClick={() => void confirm()}>
              Confirm
            </Button>
          )}
          <Button size="xs" variant="default" onClick={() => setMode('reschedule')}>
            Reschedule
          </Button>
          <Button size="xs" variant="default" onClick={() => setMode('cancel')}>
            Cancel
          </Button>
        </Group>
      )}
      {mode === 'reschedule' && <RescheduleForm a={a} zone={zone} onDone={done} />}
      {mode === 'cancel' && <CancelForm a={a} onDone={done} />}
      <ErrorAlert error={error} />
    </Stack>
  );
}

/** One appointment: when, whose, what, where it came from, and what the front desk can do with it. */
export function AppointmentCard(props: {
  a: AppointmentItem;
  zone: string;
  canChange: boolean;
  onChanged: () => void;
}) {
  const { a, zone } = props;
  const time = timeOf(a, zone);
  return (
    <Paper withBorder p="sm" component="article" aria-label={`${nameOf(a)}, ${time}`}>
      <Stack gap={4}>
        <Group gap="xs" wrap="wrap">
          <Text fw={700}>{time}</Text>
          <Badge variant="outline" color={a.kind === 'booked' ? 'teal.9' : 'gray.7'}>
            {a.kind === 'booked' ? 'Booked' : 'Requested'}
          </Badge>
          <Text size="sm">{STATUS[a.status] ?? a.status}</Text>
          {a.is_emergency && (
            <Badge variant="outline" color="red.9">
              Emergency
            </Badge>
          )}
        </Group>
        <Text>
          {nameOf(a)}
          {a.contact.phone && a.contact.name && (
            <>
              {' · '}
              <Anchor href={`tel:${a.contact.phone}`}>{a.contact.phone}</Anchor>
            </>
          )}
        </Text>
        {a.service && <Text size="sm">{a.service}</Text>}
        {a.cancel_reason && <Text size="sm">Reason: {a.cancel_reason}</Text>}
        {a.conversation_id && (
          <Link href={`${BASE}/inbox/${encodeURIComponent(a.conversation_id)}`} size="sm">
            Open the conversation
          </Link>
        )}
        {props.canChange && !CLOSED.has(a.status) && <Actions a={a} zone={zone} onChanged={props.onChanged} />}
      </Stack>
    </Paper>
  );
}
