import { Badge, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import type { LeadSignal } from '../api/app-api';
import { tierColor } from '../labels';

/** A lead's score, tier and the engine's reasoning with the signals behind it, shown on the inbox and lead pages. */
export function LeadScoreCard(props: {
  score: number | null;
  tier: string | null;
  reasoning: string | null;
  signals: LeadSignal[];
  headingOrder?: 2 | 3;
}) {
  return (
    <Paper withBorder p="md" component="section" aria-label="Lead score">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={props.headingOrder ?? 3}>Lead score</Title>
          <Group gap="xs">
            <Text fw={700} size="xl">
              {props.score ?? '—'}
            </Text>
            {props.tier && <Badge color={tierColor(props.tier)}>{props.tier}</Badge>}
          </Group>
        </Group>
        <Text>{props.reasoning ?? 'Not scored yet.'}</Text>
        {props.signals.length > 0 && (
          <List aria-label="Signals" size="sm">
            {props.signals.map((signal) => (
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
