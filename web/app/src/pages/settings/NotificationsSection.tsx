import { Button, NumberInput, Paper, SimpleGrid, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { NotificationChange, NotificationRules } from '../../api/app-api';
import { api } from '../../api/client';
import { useRequest } from '../../hooks/useRequest';
import { EditableFields } from './EditableFields';
import { noticeOf, SaveNotice, type Notice } from './SaveNotice';

const EVENTS: { key: keyof NotificationRules['events']; label: string }[] = [
  { key: 'hot_lead', label: 'Tell the owner of a hot lead' },
  { key: 'pipeline_failed', label: 'Tell the owner when a lead could not be processed' },
  { key: 'webhook_disabled', label: 'Tell the owner when a webhook is turned off after failures' },
];

function RulesForm({ initial, editable }: { initial: NotificationRules; editable: boolean }) {
  const [rules, setRules] = useState(initial);
  // The Slack URL is never read back whole: the field holds only a new one, empty keeps the kept one.
  const [slack, setSlack] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const { slack_webhook_url: _masked, ...rest } = rules;
    const body: NotificationChange = { ...rest, ...(slack.trim() ? { slack_webhook_url: slack.trim() } : {}) };
    const answer = await api.PATCH('/app/api/settings/notifications', { body });
    setNotice(noticeOf(answer));
    if (answer.data) {
      setRules(answer.data.data);
      setSlack('');
    }
  };
  const removeSlack = async () => {
    const answer = await api.PATCH('/app/api/settings/notifications', { body: { slack_webhook_url: null } });
    setNotice(noticeOf(answer, 'Slack webhook removed.'));
    if (answer.data) setRules(answer.data.data);
  };
  const errors = notice?.fields ?? {};
  const error = (name: string) => errors[name] ?? errors[`notifications.${name}`];
  const minutes = (name: 'wait_limit_minutes' | 'answer_within_minutes', label: string, description: string) => (
    <NumberInput
      label={label}
      description={description}
      min={1}
      value={rules[name]}
      error={error(name)}
      onChange={(value) => setRules({ ...rules, [name]: typeof value === 'number' ? value : Number(value) })}
    />
  );
  return (
    <Paper withBorder p="md" component="form" aria-label="Notification rules" onSubmit={(event) => void save(event)}>
      <EditableFields editable={editable}>
        <Title order={2}>Notifications</Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {minutes(
            'wait_limit_minutes',
            'Wait limit (minutes)',
            'How long a handoff may wait before the owner is told',
          )}
          {minutes('answer_within_minutes', 'Answer within (minutes)', 'What the visitor is promised once it waited')}
          <TextInput
            label="Owner e-mail"
            type="email"
            value={rules.owner_email ?? ''}
            error={error('owner_email')}
            onChange={(e) => setRules({ ...rules, owner_email: e.currentTarget.value || null })}
          />
          <TextInput
            label="Owner mobile"
            type="tel"
            description="With the country code, e.g. +14155550123; used when no owner gave their own"
            value={rules.owner_phone ?? ''}
            error={error('owner_phone')}
            onChange={(e) => setRules({ ...rules, owner_phone: e.currentTarget.value || null })}
          />
          <TextInput
            label="Slack webhook URL"
            type="url"
            description={rules.slack_webhook_url ? `Kept: ${rules.slack_webhook_url}` : 'None kept'}
            placeholder="https://hooks.slack.com/services/…"
            value={slack}
            error={error('slack_webhook_url')}
            onChange={(e) => setSlack(e.currentTarget.value)}
          />
        </SimpleGrid>
        <Switch
          label="Send e-mail notices"
          checked={rules.email_enabled}
          onChange={(e) => setRules({ ...rules, email_enabled: e.currentTarget.checked })}
        />
        <Switch
          label="Send text-message notices"
          description="Through the tenant's Twilio number, else written to the outbox"
          checked={rules.sms_enabled}
          onChange={(e) => setRules({ ...rules, sms_enabled: e.currentTarget.checked })}
        />
        <Text fw={600}>Owner notices</Text>
        {EVENTS.map(({ key, label }) => (
          <Switch
            key={key}
            label={label}
            checked={rules.events[key]}
            onChange={(e) => setRules({ ...rules, events: { ...rules.events, [key]: e.currentTarget.checked } })}
          />
        ))}
        <SaveNotice notice={notice} />
        {editable && (
          <Button type="submit" w="fit-content">
            Save notifications
          </Button>
        )}
        {editable && rules.slack_webhook_url && (
          <Button variant="default" w="fit-content" onClick={() => void removeSlack()}>
            Remove the Slack webhook
          </Button>
        )}
      </EditableFields>
    </Paper>
  );
}

/** Who is told of handoffs and what the owner must know, and how. */
export function NotificationsSection({ editable }: { editable: boolean }) {
  const rules = useRequest(() => api.GET('/app/api/settings/notifications'), 'notifications');
  if (rules.error) return <SaveNotice notice={{ ok: false, text: rules.error, fields: {} }} />;
  return rules.data ? <RulesForm initial={rules.data} editable={editable} /> : null;
}
