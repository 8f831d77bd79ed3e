import { Badge, Button, Group, Paper, PasswordInput, SimpleGrid, Stack, Switch, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ChannelSettings } from '../../api/app-api';
import { api } from '../../api/client';
import { useRequest } from '../../hooks/useRequest';
import { EditableFields } from './EditableFields';
import { noticeOf, SaveNotice, type Notice } from './SaveNotice';

const LABELS: Record<string, string> = {
  phone_number_id: 'Phone number id',
  business_account_id: 'Business account id',
  page_id: 'Page id',
  team_id: 'Workspace (team) id',
  app_id: 'App id',
  account_sid: 'Account SID',
  phone_number: 'Phone number',
  transfer_number: 'Transfer calls to',
  owner_phone: 'Owner’s mobile',
  app_secret: 'App secret',
  access_token: 'Access token',
  verify_token: 'Verify token',
  signing_secret: 'Signing secret',
  bot_token: 'Bot token',
  secret_token: 'Webhook secret token',
  security_token: 'Security token',
  auth_token: 'Auth token',
};

const STATUS = {
  connected: { color: 'teal.9', text: 'Connected' },
  off: { color: 'gray.7', text: 'Turned off' },
  not_connected: { color: '#c2410c', text: 'Not connected' },
} as const;

/** One channel: its status, on/off, its plain settings, and its secrets, which are written and never shown. */
function ChannelForm({ initial, editable }: { initial: ChannelSettings; editable: boolean }) {
  const [channel, setChannel] = useState(initial);
  const [fields, setFields] = useState(initial.fields);
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const typed = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v.trim()));
    const answer = await api.PATCH('/app/api/settings/channels/{channel}', {
      params: { path: { channel: channel.channel } },
      body: { enabled: channel.enabled, fields, secrets: typed },
    });
    setNotice(noticeOf(answer));
    if (answer.data) {
      setChannel(answer.data.data);
      setFields(answer.data.data.fields);
      setSecrets({});
    }
  };
  const errors = notice?.fields ?? {};
  const status = STATUS[channel.status];
  return (
    <Paper withBorder p="md" component="form" aria-label={channel.label} onSubmit={(event) => void save(event)}>
      <EditableFields editable={editable}>
        <Group justify="space-between">
          <Title order={3}>{channel.label}</Title>
          <Badge variant="outline" color={status.color}>
            {status.text}
          </Badge>
        </Group>
        <Switch
          label={`${channel.label} on`}
          checked={channel.enabled}
          onChange={(e) => setChannel({ ...channel, enabled: e.currentTarget.checked })}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {Object.keys(channel.fields).map((name) => (
            <TextInput
              key={name}
              label={LABELS[name] ?? name}
              value={fields[name] ?? ''}
              error={errors[`fields.${name}`] ?? errors[`channels.${channel.channel}.${name}`]}
              onChange={(e) => setFields({ ...fields, [name]: e.currentTarget.value || null })}
            />
          ))}
          {Object.entries(channel.secrets).map(([name, set]) => (
            <PasswordInput
              key={name}
              label={LABELS[name] ?? name}
              description={set ? 'Set; type a new one to replace it' : 'Not set'}
              autoComplete="new-password"
              value={secrets[name] ?? ''}
              error={errors[`secrets.${name}`] ?? errors[`channels.${channel.channel}.${name}`]}
              onChange={(e) => setSecrets({ ...secrets, [name]: e.currentTarget.value })}
            />
          ))}
        </SimpleGrid>
        <SaveNotice notice={notice} />
        {editable && (
          <Button type="submit" w="fit-content">
            Save {channel.label}
          </Button>
        )}
      </EditableFields>
    </Paper>
  );
}

/** The messaging channels the assistant answers on and whether each is connected. */
export function ChannelsSection({ editable }: { editable: boolean }) {
  const channels = useRequest(() => api.GET('/app/api/settings/channels'), 'channels');
  return (
    <Stack>
      <Title order={2}>Channels</Title>
      {channels.error && <SaveNotice notice={{ ok: false, text: channels.error, fields: {} }} />}
      {channels.data?.map((channel) => (
        <ChannelForm key={channel.channel} initial={channel} editable={editable} />
      ))}
    </Stack>
  );
}
