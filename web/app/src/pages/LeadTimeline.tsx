import { Alert, Badge, Group, Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import type { LeadCrmState, LeadTimeline as LeadTimelineData } from '../api/app-api';
import { Link } from '../Link';
import { BASE } from '../router';

/** An instant as the tenant's clock shows it, with the zone named so nobody reads it as their own. */
function inZone(iso: string, zone: string): string {
  // dateStyle and timeStyle refuse timeZoneName, so the fields are named one by one.
  return new Date(iso).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  });
}

const CRM_NAMES: Record<string, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };
const SYNC_COLORS: Record<string, string> = { synced: 'teal.9', failed: 'red.9', pending: 'gray.7' };

/** Where the lead stands with the tenant's CRM. */
export function LeadCrmCard({ crm, zone }: { crm: LeadCrmState; zone: string }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="crm-heading">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h3" id="crm-heading">
            CRM
          </Title>
          {crm.status && <Badge color={SYNC_COLORS[crm.status]}>{crm.status}</Badge>}
        </Group>
        {crm.provider === null && crm.status === null ? (
          <Text>No CRM configured.</Text>
        ) : (
          <>
            <Text>{crm.provider ? (CRM_NAMES[crm.provider] ?? crm.provider) : 'No CRM configured now.'}</Text>
            {crm.status === null && <Text size="sm">Not synced yet.</Text>}
            {crm.status === 'pending' && <Text size="sm">A request of this lead is still on its way to the CRM.</Text>}
            {crm.at && <Text size="sm">Last sync: {inZone(crm.at, zone)}</Text>}
            {crm.crm_record_id && <Text size="sm">CRM record: {crm.crm_record_id}</Text>}
            {crm.error && (
              <Alert color="red" title="The last sync failed">
                {crm.error}
              </Alert>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}

/** Every event of the lead, oldest first, as a list screen readers announce as one. */
export function LeadTimelineCard({ timeline }: { timeline: LeadTimelineData }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="timeline-heading">
      <Title order={2} size="h3" mb="sm" id="timeline-heading">
        Timeline
      </Title>
      <Timeline active={timeline.events.length - 1} bulletSize={16} lineWidth={2} role="list">
        {timeline.events.map((e, i) => (
          <Timeline.Item
            key={`${e.kind}-${e.at}-${i}`}
            role="listitem"
            color={e.kind === 'crm_sync' && e.status === 'failed' ? 'red.9' : 'teal.9'}
            title={
              <Text component="span" fw={600}>
                {e.text}
              </Text>
            }
          >
            <Text size="xs" c="dimmed">
              <time dateTime={e.at}>{inZone(e.at, timeline.timezone)}</time>
            </Text>
            {e.kind === 'conversation_started' && e.conversation_id && (
              <Link href={`${BASE}/inbox/${encodeURIComponent(e.conversation_id)}`}>Open this conversation</Link>
            )}
            {e.kind === 'request' && e.request_id && (
              <Link href={`${BASE}/requests/${encodeURIComponent(e.request_id)}`}>Open this request</Link>
            )}
          </Timeline.Item>
        ))}
      </Timeline>
    </Paper>
  );
}
