import { Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { api } from '../api/client';
import { useLiveEvents } from '../hooks/useLiveEvents';
import { useRequest } from '../hooks/useRequest';
import { Link } from '../Link';
import { when } from '../labels';
import { BASE } from '../router';
import { LeadScoreCard } from './LeadScoreCard';
import { LeadCrmCard, LeadTimelineCard } from './LeadTimeline';
import { ErrorAlert } from '../layout/ErrorAlert';

function Fact({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text>{value ?? '—'}</Text>
    </div>
  );
}

/** One lead: who it is, how it scored and why, the conversation it came from, its history and its CRM sync. */
export function LeadPage({ id }: { id: string }) {
  const lead = useRequest(() => api.GET('/app/api/leads/{id}', { params: { path: { id } } }), id);
  const timeline = useRequest(() => api.GET('/app/api/leads/{id}/timeline', { params: { path: { id } } }), id);
  // Scored again (another form, call or chat of the same person): the new score, signals and history show at once.
  useLiveEvents((event) => {
    if (event.type !== 'lead.updated' || event.data.id !== id) return;
    void lead.reload();
    void timeline.reload();
  });
  const l = lead.data;
  const t = timeline.data;
  return (
    <Stack>
      <Link href={`${BASE}/leads`}>All leads</Link>
      <ErrorAlert error={lead.error} />
      {!l && !lead.error && <Loader aria-label="Loading the lead" />}
      {l && (
        <>
          <Title order={1}>{l.name ?? l.email ?? l.phone ?? 'Lead'}</Title>
          <Paper withBorder p="md" component="section" aria-label="Details">
            <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
              <Fact label="Email" value={l.email} />
              <Fact label="Phone" value={l.phone} />
              <Fact label="Company" value={l.company} />
              <Fact label="Source" value={l.source} />
              <Fact label="Status" value={l.status} />
              <Fact label="Received" value={when(l.created_at)} />
              <Fact label="Intent" value={l.intent} />
            </SimpleGrid>
          </Paper>
          <LeadScoreCard lead={l} signals={l.signals} headingOrder={2} />
          {l.conversation_id && (
            <Link href={`${BASE}/inbox/${encodeURIComponent(l.conversation_id)}`}>Open the conversation</Link>
          )}
          <ErrorAlert error={timeline.error} />
          {!t && !timeline.error && <Loader aria-label="Loading the lead's timeline" />}
          {t && (
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <LeadTimelineCard timeline={t} />
              <LeadCrmCard crm={t.crm} zone={t.timezone} />
            </SimpleGrid>
          )}
        </>
      )}
    </Stack>
  );
}
