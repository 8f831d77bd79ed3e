import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import type { BusinessSettings, OpeningHours } from '../api/app-api';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import { useRequest } from '../hooks/useRequest';
import { useSession } from '../session';
import { MobileForm } from './MobileForm';

const DAY_NAMES: Record<OpeningHours['day'], string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

function HoursFields({
  hours,
  disabled,
  onChange,
}: {
  hours: OpeningHours[];
  disabled: boolean;
  onChange: (hours: OpeningHours[]) => void;
}) {
  const set = (index: number, field: 'open' | 'close', value: string) =>
    onChange(hours.map((h, i) => (i === index ? { ...h, [field]: value || null } : h)));
  return (
    <Stack gap="xs">
      {hours.map((h, index) => (
        <Group key={h.day} grow align="end" role="group" aria-label={DAY_NAMES[h.day]}>
          <Text fw={600}>{DAY_NAMES[h.day]}</Text>
          <TextInput
            label={`${DAY_NAMES[h.day]} opens`}
            type="time"
            disabled={disabled}
            value={h.open ?? ''}
            onChange={(e) => set(index, 'open', e.currentTarget.value)}
          />
          <TextInput
            label={`${DAY_NAMES[h.day]} closes`}
            type="time"
            disabled={disabled}
            value={h.close ?? ''}
            onChange={(e) => set(index, 'close', e.currentTarget.value)}
          />
        </Group>
      ))}
    </Stack>
  );
}

/** The business profile and opening hours the assistant answers from; owners and admins change them, others read them. */
export function SettingsPage() {
  const { me } = useSession();
  const editable = me.role === 'owner' || me.role === 'admin';
  const loaded = useRequest(() => api.GET('/app/api/settings'), 'settings');
  const [draft, setDraft] = useState<BusinessSettings | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => setDraft(loaded.data), [loaded.data]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    const answer = await api.PATCH('/app/api/settings', { body: draft });
    setNotice(
      answer.response.ok
        ? { ok: true, text: 'Saved.' }
        : { ok: false, text: errorMessage(answer.error, answer.response) },
    );
    if (answer.data) setDraft(answer.data.data);
  };
  const business = (field: keyof BusinessSettings['business'], value: string) =>
    draft && setDraft({ ...draft, business: { ...draft.business, [field]: value } });

  return (
    <Stack>
      <Title order={1}>Settings</Title>
      <MobileForm />
      {loaded.error && (
        <Alert color="red" role="alert">
          {loaded.error}
        </Alert>
      )}
      {!draft && !loaded.error && <Loader aria-label="Loading settings" />}
      {draft && (
        <form onSubmit={(event) => void save(event)} aria-label="Business settings">
          <Stack>
            <Paper withBorder p="md" component="fieldset" disabled={!editable}>
              <Title order={2} mb="sm" component="legend">
                Business profile
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label="Business name"
                  required
                  value={draft.business.name}
                  onChange={(e) => business('name', e.currentTarget.value)}
                />
                <TextInput
                  label="Phone"
                  type="tel"
                  value={draft.business.phone ?? ''}
                  onChange={(e) => business('phone', e.currentTarget.value)}
                />
                <TextInput
                  label="Email"
                  type="email"
                  value={draft.business.email ?? ''}
                  onChange={(e) => business('email', e.currentTarget.value)}
                />
                <TextInput
                  label="Time zone"
                  value={draft.business.timezone}
                  onChange={(e) => business('timezone', e.currentTarget.value)}
                />
                <TextInput
                  label="Address"
                  value={draft.business.address ?? ''}
                  onChange={(e) => business('address', e.currentTarget.value)}
                />
              </SimpleGrid>
            </Paper>
            <Paper withBorder p="md" component="section" aria-label="Opening hours">
              <Title order={2} mb="sm">
                Opening hours
              </Title>
              <HoursFields
                hours={draft.hours}
                disabled={!editable}
                onChange={(hours) => setDraft({ ...draft, hours })}
              />
            </Paper>
            {notice && (
              <Alert color={notice.ok ? 'teal' : 'red'} role={notice.ok ? 'status' : 'alert'}>
                {notice.text}
              </Alert>
            )}
            {editable && (
              <Button type="submit" w="fit-content">
                Save settings
              </Button>
            )}
          </Stack>
        </form>
      )}
    </Stack>
  );
}
