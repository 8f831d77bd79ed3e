import { Badge, Button, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { DeliveryStatus, Webhook } from '../../api/admin-api';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useRequest } from '../../hooks/useRequest';
import { when } from '../../labels';
import type { NoticeText } from './Notice';
import { ErrorAlert } from '../../layout/ErrorAlert';

const STATUS_COLOR: Record<DeliveryStatus, string> = {
  delivered: 'teal.9',
  pending: 'blue.9',
  failed: 'red.9',
  dead: 'gray.7',
};

/** A webhook's latest deliveries, newest first, each of which can be sent again. */
export function DeliveryLog({ webhook, onNotice }: { webhook: Webhook; onNotice: (notice: NoticeText) => void }) {
  const path = { id: webhook.id };
  const log = useRequest(
    () => api.GET('/app/api/webhooks/{id}/deliveries', { params: { path, query: { limit: 50 } } }),
    webhook.id,
  );
  const replay = async (deliveryId: string) => {
    const answer = await api.POST('/app/api/webhooks/{id}/deliveries/{deliveryId}/replay', {
      params: { path: { ...path, deliveryId } },
    });
    onNotice(
      answer.data
        ? { ok: true, text: `Sent again as a new delivery (${answer.data.data.id}).` }
        : { ok: false, text: errorMessage(answer.error, answer.response) },
    );
    await log.reload();
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="delivery-log">
      <Stack>
        <Title order={2} id="delivery-log">
          Deliveries to {webhook.url}
        </Title>
        <ErrorAlert error={log.error} />
        {log.loading && <Loader aria-label="Loading deliveries" />}
        {log.data && log.data.deliveries.length === 0 && <Text>Nothing has been sent to this webhook yet.</Text>}
        {log.data && log.data.deliveries.length > 0 && (
          <Table.ScrollContainer minWidth={640}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Event</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Attempts</Table.Th>
                  <Table.Th scope="col">Response</Table.Th>
                  <Table.Th scope="col">Created</Table.Th>
                  <Table.Th scope="col">Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {log.data.deliveries.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>
                      {d.event}
                      {d.replay_of && (
                        <Text size="xs" c="dimmed">
                          replay
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[d.status]}>{d.status}</Badge>
                    </Table.Td>
                    <Table.Td>{d.attempts}</Table.Td>
                    <Table.Td>
                      {d.response_code ?? '—'}
                      {d.last_error && (
                        <Text size="xs" c="dimmed">
                          {d.last_error}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {when(d.created_at)}
                      {d.delivered_at && (
                        <Text size="xs" c="dimmed">
                          delivered {when(d.delivered_at)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="default"
                        disabled={!webhook.enabled}
                        onClick={() => void replay(d.id)}
                        aria-label={`Replay the ${d.event} delivery of ${when(d.created_at)}`}
                      >
                        Replay
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
