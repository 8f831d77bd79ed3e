import { Badge, Button, Group, Loader, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { Webhook, WebhookEventName } from '../../api/admin-api';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useRequest } from '../../hooks/useRequest';
import { ConfirmDialog, type Confirmation } from './ConfirmDialog';
import { DeliveryLog } from './DeliveryLog';
import { Notice, type NoticeText } from './Notice';
import { OnceSecret } from './OnceSecret';
import { WebhookForm, type WebhookDraft } from './WebhookForm';
import { ErrorAlert } from '../../layout/ErrorAlert';

type Answer = { response: Response; error?: unknown };

function WebhookRow({
  webhook,
  onLog,
  onEdit,
  onToggle,
  onDelete,
}: {
  webhook: Webhook;
  onLog: () => void;
  onEdit: () => void;
  onToggle: () => void;
  onDelete: () => void;
}) {
  return (
    <Table.Tr>
      <Table.Td style={{ wordBreak: 'break-all' }}>{webhook.url}</Table.Td>
      <Table.Td>{webhook.events.join(', ')}</Table.Td>
      <Table.Td>
        <Badge color={webhook.enabled ? 'teal.9' : 'gray.7'}>{webhook.enabled ? 'enabled' : 'disabled'}</Badge>
        {webhook.disabled_reason && (
          <Text size="xs" c="dimmed">
            {webhook.disabled_reason}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={onLog} aria-label={`Deliveries to ${webhook.url}`}>
            Deliveries
          </Button>
          <Button size="xs" variant="default" onClick={onEdit} aria-label={`Edit ${webhook.url}`}>
            Edit
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={onToggle}
            aria-label={`${webhook.enabled ? 'Disable' : 'Enable'} ${webhook.url}`}
          >
            {webhook.enabled ? 'Disable' : 'Enable'}
          </Button>
          <Button size="xs" variant="default" onClick={onDelete} aria-label={`Delete ${webhook.url}`}>
            Delete
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function WebhookTable({ webhooks, actions }: { webhooks: Webhook[]; actions: (w: Webhook) => RowActions }) {
  if (webhooks.length === 0) return <Text>No webhooks yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">URL</Table.Th>
            <Table.Th scope="col">Events</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {webhooks.map((w) => (
            <WebhookRow key={w.id} webhook={w} {...actions(w)} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

type RowActions = Omit<Parameters<typeof WebhookRow>[0], 'webhook'>;

/** The tenant's outbound webhooks: add, change, switch off and on, delete, and read what was sent. */
export function WebhooksSettings() {
  const list = useRequest(() => api.GET('/app/api/webhooks'), 'webhooks');
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [editing, setEditing] = useState<Webhook | null>(null);
  const [logOf, setLogOf] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);

  const after = async (answer: Answer, ok: string) => {
    const worked = answer.response.ok;
    setNotice(worked ? { ok: true, text: ok } : { ok: false, text: errorMessage(answer.error, answer.response) });
    await list.reload();
    return worked;
  };
  const path = (w: Webhook) => ({ params: { path: { id: w.id } } });
  const add = async (draft: WebhookDraft) => {
    const answer = await api.POST('/app/api/webhooks', { body: draft });
    if (answer.data) setSecret(answer.data.data.secret);
    return after(answer, `Webhook added for ${draft.url}.`);
  };
  const change = async (w: Webhook, draft: WebhookDraft) => {
    const worked = await after(
      await api.PATCH('/app/api/webhooks/{id}', { ...path(w), body: draft }),
      'Webhook saved.',
    );
    if (worked) setEditing(null);
    return worked;
  };
  const actions = (w: Webhook): RowActions => ({
    onLog: () => setLogOf(w.id),
    onEdit: () => setEditing(w),
    onToggle: () =>
      w.enabled
        ? setConfirmation({
            title: `Disable the webhook to ${w.url}?`,
            body: 'Nothing is sent to it until it is enabled again.',
            confirm: 'Disable',
            run: async () => {
              await after(
                await api.POST('/app/api/webhooks/{id}/disable', { ...path(w), body: {} }),
                'Webhook disabled.',
              );
            },
          })
        : void api.POST('/app/api/webhooks/{id}/enable', path(w)).then((a) => after(a, 'Webhook enabled.')),
    onDelete: () =>
      setConfirmation({
        title: `Delete the webhook to ${w.url}?`,
        body: 'Its delivery log goes with it and retries stop.',
        confirm: 'Delete',
        run: async () => {
          if (logOf === w.id) setLogOf(null);
          await after(await api.DELETE('/app/api/webhooks/{id}', path(w)), 'Webhook deleted.');
        },
      }),
  });
  const events: WebhookEventName[] = list.data?.events ?? [];
  // Read from the list, so the log sees the webhook as it is now (enabled or not).
  const logged = list.data?.webhooks.find((w) => w.id === logOf);

  return (
    <Stack>
      <Title order={1}>Webhooks</Title>
      <Text>We POST each event you choose to your URL, signed with the webhook's secret.</Text>
      {secret && <OnceSecret label="Signing secret" value={secret} onDone={() => setSecret(null)} />}
      <Notice notice={notice} />
      <ErrorAlert error={list.error} />
      {list.loading && <Loader aria-label="Loading webhooks" />}
      {list.data && <WebhookTable webhooks={list.data.webhooks} actions={actions} />}
      {list.data && (
        <Paper withBorder p="md">
          <Title order={2} mb="sm">
            Add a webhook
          </Title>
          <WebhookForm
            label="Add a webhook"
            events={events}
            initial={{ url: '', events: [] }}
            submit="Add webhook"
            onSave={add}
          />
        </Paper>
      )}
      {logged && <DeliveryLog webhook={logged} onNotice={setNotice} />}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title="Edit webhook"
        closeButtonProps={{ 'aria-label': 'Close without saving' }}
        centered
      >
        {editing && (
          <WebhookForm
            label="Edit webhook"
            events={events}
            initial={{ url: editing.url, events: editing.events }}
            submit="Save webhook"
            onSave={(draft) => change(editing, draft)}
          />
        )}
      </Modal>
      <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </Stack>
  );
}
