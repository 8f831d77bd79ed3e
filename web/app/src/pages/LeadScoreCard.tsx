import { Badge, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import type { LeadSignal, LeadSummary } from '../api/app-api';
import { tierColor } from '../labels';

/**
 * A lead's score and tier with the engine's reasoning and summary, shown on the inbox and lead
 * pages; the lead page also has the signals behind the score.
 */
export function LeadScoreCard({
  lead,
  signals = [],
  headingOrder = 3,
}: {
  lead: Pick<LeadSummary, 'score' | 'tier' | 'reasoning' | 'summary' | 'recommended_action'>;
  signals?: LeadSignal[];
  headingOrder?: 2 | 3;
}) {
  return (
    <Paper withBorder p="md" component="section" aria-label="Lead score">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={headingOrder}>Lead score</Title>
          <Group gap="xs">
            <Text fw={700} size="xl">
              {lead.score ?? '—'}
            </Text>
            {lead.tier && <Badge color={tierColor(lead.tier)}>{lead.tier}</Badge>}
          </Group>
        </Group>
        <Text>{lead.reasoning ?? 'Not scored yet.'}</Text>
        {lead.summary && <Text size="sm">{lead.summary}</Text>}
        {lead.recommended_action && (
          <Text size="sm">
            <Text span fw={600}>
              Next step:
            </Text>{' '}
            {lead.recommended_action}
          </Text>
        )}
        {signals.length > 0 && (
          <List aria-label="Signals" size="sm">
            {signals.map((signal) => (
              <List.Item key={signal.name}>
                <Text span fw={600}>
                  {signal.name}
                </Text>
                {signal.points !== null && ` (${signal.points > 0 ? '+' : ''}${signal.points})`}
                {signal.detail && `: ${signal.detail}`}
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Paper>
  );
}
