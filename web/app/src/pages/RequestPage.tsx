import { Alert, Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Timeline, Title } from '@mantine/core';
import { useState } from 'react';
import type { RequestDetail, RequestStep } from '../api/app-api';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import { useRequest } from '../hooks/useRequest';
import { Link } from '../Link';
import { when } from '../labels';
import { BASE } from '../router';
import { useSession } from '../session';
import { requestStatusLabel, statusColor, stepLabel } from './request-labels';
import { ErrorAlert } from '../layout/ErrorAlert';

/** An open request refreshes this often, so a retry's steps appear as they run. */
const DETAIL_POLL_MS = 3_000;
const DONE = new Set(['completed', 'skipped', 'failed']);

function Fact({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text style={{ overflowWrap: 'anywhere' }}>{value ?? '—'}</Text>
    </div>
  );
}

function StepItem({ step }: { step: RequestStep }) {
  const times = [
    step.started_at && `started ${when(step.started_at)}`,
    step.finished_at && `finished ${when(step.finished_at)}`,
    step.duration_ms !== null && `${step.duration_ms} ms`,
  ].filter(Boolean);
  return (
    <Stack gap={2}>
      <Text size="sm" c="dimmed">
        {step.attempts === 1 ? '1 attempt' : `${step.attempts} attempts`}
        {times.length > 0 && ` · ${times.join(' · ')}`}
      </Text>
      {step.error && (
        <Text size="sm" c="red.9" style={{ overflowWrap: 'anywhere' }}>
          {step.error}
        </Text>
      )}
      {step.reason && (
        <Text size="sm" c="dimmed">
          {step.reason}
        </Text>
      )}
    </Stack>
  );
}

/** Each pipeline step in order; the line runs as far as the steps have got. */
function StepTimeline({ steps }: { steps: RequestStep[] }) {
  const reached = steps.reduce((last, step, index) => (step.status === 'pending' ? last : index), -1);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="steps-heading">
      <Title order={2} size="h3" mb="sm" id="steps-heading">
        Steps
      </Title>
      <Timeline active={reached} bulletSize={20} lineWidth={2}>
        {steps.map((step) => (
          <Timeline.Item
            key={step.name}
            color={step.status === 'failed' ? 'red.9' : 'teal.9'}
            title={
              <Group gap="xs" component="span">
                <Text component="span" fw={600}>
                  {stepLabel(step.name)}
                </Text>
                <Badge color={statusColor(step.status)} size="sm">
                  {step.status}
                </Badge>
              </Group>
            }
          >
            <StepItem step={step} />
          </Timeline.Item>
        ))}
      </Timeline>
    </Paper>
  );
}

/** The retry of a failed request, and what the server answered. */
function RetryButton({ request, onRetried }: { request: RequestDetail; onRetried: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const retry = async () => {
    setBusy(true);
    const answer = await api.POST('/app/api/requests/{id}/retry', { params: { path: { id: request.id } } });
    setBusy(false);
    if (!answer.data) return setResult({ ok: false, text: errorMessage(answer.error, answer.response) });
    const from = answer.data.data.steps.find((s) => !DONE.has(s.status));
    setResult({
      ok: true,
      text: from ? `Retry queued: it runs again from “${stepLabel(from.name)}”.` : 'Retry queued.',
    });
    await onRetried();
  };
  return (
    <Stack gap="xs">
      {request.status === 'failed' && !request.retry_scheduled && (
        <Group>
          <Button color="red.9" loading={busy} onClick={() => void retry()}>
            Retry
          </Button>
        </Group>
      )}
      {result && (
        <Alert color={result.ok ? 'teal' : 'red'} role={result.ok ? 'status' : 'alert'}>
          {result.text}
        </Alert>
      )}
    </Stack>
  );
}

function Details({ request }: { request: RequestDetail }) {
  const lead = request.lead;
  return (
    <Paper withBorder p="md" component="section" aria-label="Details">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
        <Fact label="Source" value={request.source} />
        <Fact label="Phone" value={request.caller.phone} />
        <Fact label="Email" value={request.caller.email} />
        <Fact label="Received" value={when(request.created_at)} />
        <Fact label="Finished" value={request.processed_at && when(request.processed_at)} />
        <Fact label="Error" value={request.error_message} />
      </SimpleGrid>
      {lead && (
        <Text mt="sm">
          Lead:{' '}
          <Link href={`${BASE}/leads/${encodeURIComponent(lead.id)}`}>
            {lead.name ?? lead.email ?? lead.phone ?? lead.id}
          </Link>
          {lead.score !== null && ` (score ${lead.score}${lead.tier ? `, ${lead.tier}` : ''})`}
        </Text>
      )}
    </Paper>
  );
}

/** One request: who it came from, each step of its way through the pipeline, and a retry when it failed. */
export function RequestPage({ id }: { id: string }) {
  const { me } = useSession();
  const request = useRequest(() => api.GET('/app/api/requests/{id}', { params: { path: { id } } }), id, DETAIL_POLL_MS);
  const r = request.data;
  return (
    <Stack>
      <Link href={`${BASE}/requests`}>All requests</Link>
      <ErrorAlert error={request.error} />
      {!r && !request.error && <Loader aria-label="Loading the request" />}
      {r && (
        <>
          <Group gap="sm">
            <Title order={1}>{r.caller.name ?? r.caller.phone ?? r.caller.email ?? 'Request'}</Title>
            <Badge color={statusColor(r.status)} size="lg">
              {requestStatusLabel(r.status)}
            </Badge>
          </Group>
          {me.permissions.includes('leads:write') && <RetryButton request={r} onRetried={request.reload} />}
          <Details request={r} />
          <StepTimeline steps={r.steps} />
        </>
      )}
    </Stack>
  );
}
