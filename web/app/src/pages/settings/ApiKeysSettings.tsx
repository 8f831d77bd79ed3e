import { Button, Code, Loader, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import type { KeyKind, RotatedKey } from '../../api/admin-api';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useRequest } from '../../hooks/useRequest';
import { when } from '../../labels';
import { ConfirmDialog, type Confirmation } from './ConfirmDialog';
import { Notice, type NoticeText } from './Notice';
import { OnceSecret } from './OnceSecret';
import { ErrorAlert } from '../../layout/ErrorAlert';

const KIND: Record<KeyKind, { name: string; effect: string }> = {
  api_key: { name: 'API key', effect: 'Systems calling the API with the current key stop working at once.' },
  test_key: { name: 'Test API key', effect: 'Test calls with the current test key stop working at once.' },
  webhook_secret: {
    name: 'Inbound webhook secret',
    effect: 'Senders signing with the current secret keep working for the grace window, then stop.',
  },
  oauth_client: {
    name: 'OAuth client',
    effect: 'A new client id and secret replace the current ones, and every access token issued with them ends.',
  },
  widget_token: {
    name: 'Web widget token',
    effect: 'The chat widget on your site stops until you paste the new token.',
  },
  owner_token: { name: 'Owner link token', effect: 'Owner sign-in links with the current token stop working.' },
};

/** The tenant's keys by their first characters; rotating one shows the new value once. */
export function ApiKeysSettings() {
  const keys = useRequest(() => api.GET('/app/api/keys'), 'keys');
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const [rotated, setRotated] = useState<RotatedKey | null>(null);
  const [notice, setNotice] = useState<NoticeText | null>(null);

  const rotate = async (kind: KeyKind) => {
    const answer = await api.POST('/app/api/keys/{kind}/rotate', { params: { path: { kind } } });
    if (answer.data) {
      setRotated(answer.data.data);
      setNotice(null);
      await keys.reload();
    } else setNotice({ ok: false, text: errorMessage(answer.error, answer.response) });
  };
  const ask = (kind: KeyKind) =>
    setConfirmation({
      title: `Rotate the ${KIND[kind].name}?`,
      body: KIND[kind].effect,
      confirm: 'Rotate',
      run: () => rotate(kind),
    });

  return (
    <Stack>
      <Title order={1}>API keys</Title>
      <Text>Keys are shown by their first characters only. A rotated key is shown once, right after rotating.</Text>
      {rotated && (
        <OnceSecret
          label={
            rotated.client_id
              ? `${KIND[rotated.kind].name} secret (client id ${rotated.client_id})`
              : KIND[rotated.kind].name
          }
          value={rotated.value}
          onDone={() => setRotated(null)}
        />
      )}
      <Notice notice={notice} />
      <ErrorAlert error={keys.error} />
      {keys.loading && <Loader aria-label="Loading keys" />}
      {keys.data && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Key</Table.Th>
                <Table.Th scope="col">Starts with</Table.Th>
                <Table.Th scope="col">Issued</Table.Th>
                <Table.Th scope="col">Last rotated</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.data.keys.map((key) => (
                <Table.Tr key={key.kind}>
                  <Table.Th scope="row">{KIND[key.kind].name}</Table.Th>
                  <Table.Td>
                    <Code>{key.client_id ?? key.hint}</Code>
                  </Table.Td>
                  <Table.Td>{when(key.created_at)}</Table.Td>
                  <Table.Td>{key.rotated_at ? when(key.rotated_at) : 'Never'}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => ask(key.kind)}
                      aria-label={`Rotate the ${KIND[key.kind].name}`}
                    >
                      Rotate
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </Stack>
  );
}
