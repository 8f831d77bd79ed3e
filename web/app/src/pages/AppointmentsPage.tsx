import { Button, Group, Loader, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { AppointmentItem } from '../api/app-api';
import { api } from '../api/client';
import { byDay, dateIn, datesOf, dayLabel, step, type CalendarView } from '../appointments/calendar';
import { useRequest } from '../hooks/useRequest';
import { BASE, navigate } from '../router';
import { useSession } from '../session';
import { AppointmentCard } from './AppointmentCard';
import { ErrorAlert } from '../layout/ErrorAlert';

const POLL_MS = 30_000;
const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The zone the last answer named, so "today" is the business's today on the next visit too. */
let knownZone: string | null = null;

function viewOf(query: URLSearchParams): CalendarView {
  return query.get('view') === 'day' ? 'day' : 'week';
}

function go(view: CalendarView, date: string) {
  navigate(`${BASE}/appointments?view=${view}&date=${date}`, { replace: true });
}

function DaySection(props: {
  date: string;
  items: AppointmentItem[];
  zone: string;
  canChange: boolean;
  onChanged: () => void;
}) {
  return (
    <Stack component="section" aria-label={dayLabel(props.date)} gap="xs">
      <Title order={2} size="h4">
        {dayLabel(props.date)}
      </Title>
      {props.items.length === 0 && (
        <Text size="sm" c="dimmed">
          No appointments
        </Text>
      )}
      {props.items.map((a) => (
        <AppointmentCard key={a.id} a={a} zone={props.zone} canChange={props.canChange} onChanged={props.onChanged} />
      ))}
    </Stack>
  );
}

/** Requested and booked appointments by day or by week, in the business's time zone. */
export function AppointmentsPage({ query }: { query: URLSearchParams }) {
  const { me } = useSession();
  const view = viewOf(query);
  // Until the first answer names the business's zone, "today" is the browser's.
  const [zone, setZone] = useState(knownZone ?? BROWSER_ZONE);
  const anchor = query.get('date') ?? dateIn(new Date(), zone);
  const dates = datesOf(view, anchor);
  const range = { from: dates[0] ?? anchor, to: dates[dates.length - 1] ?? anchor };
  const agenda = useRequest(
    () => api.GET('/app/api/appointments', { params: { query: range } }),
    JSON.stringify(range),
    POLL_MS,
  );
  const answered = agenda.data?.timezone;
  useEffect(() => {
    if (!answered) return;
    knownZone = answered;
    setZone(answered);
  }, [answered]);
  const canChange = me.permissions.includes('conversations:write');
  const reload = () => void agenda.reload();
  const days = agenda.data ? byDay(agenda.data.appointments, dates, zone) : [];
  const unit = view === 'day' ? 'day' : 'week';

  return (
    <Stack>
      <Title order={1}>Appointments</Title>
      <Group justify="space-between" wrap="wrap" role="group" aria-label="Calendar">
        <SegmentedControl
          aria-label="View"
          value={view}
          onChange={(value) => go(value === 'day' ? 'day' : 'week', anchor)}
          data={[
            { value: 'day', label: 'Day' },
            { value: 'week', label: 'Week' },
          ]}
        />
        <Group gap="xs" wrap="wrap">
          <Button variant="default" onClick={() => go(view, step(view, anchor, -1))}>
            Previous {unit}
          </Button>
          <Button variant="default" onClick={() => go(view, dateIn(new Date(), zone))}>
            Today
          </Button>
          <Button variant="default" onClick={() => go(view, step(view, anchor, 1))}>
            Next {unit}
          </Button>
        </Group>
      </Group>
      <Text size="sm">
        {view === 'day' ? dayLabel(anchor) : `${dayLabel(range.from)} – ${dayLabel(range.to)}`} · times in {zone}
      </Text>
      <ErrorAlert error={agenda.error} />
      {agenda.loading && <Loader aria-label="Loading appointments" />}
      {agenda.data && (
        <SimpleGrid cols={{ base: 1, lg: view === 'day' ? 1 : 2 }}>
          {days.map((day) => (
            <DaySection key={day.date} {...day} zone={zone} canChange={canChange} onChanged={reload} />
          ))}
        </SimpleGrid>
      )}
      {agenda.data && agenda.data.untimed.length > 0 && (
        <Stack component="section" aria-label="Requests without a time" gap="xs">
          <Title order={2} size="h4">
            Requests without a time
          </Title>
          {agenda.data.untimed.map((a) => (
            <AppointmentCard key={a.id} a={a} zone={zone} canChange={canChange} onChanged={reload} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}
