import { Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { BusinessSettings, Holiday, OpeningHours } from '../../api/app-api';
import { api } from '../../api/client';
import { EditableFields } from './EditableFields';
import { noticeOf, SaveNotice, type Notice } from './SaveNotice';

const DAY_NAMES: Record<OpeningHours['day'], string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

function HoursFields({ hours, onChange }: { hours: OpeningHours[]; onChange: (hours: OpeningHours[]) => void }) {
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
            value={h.open ?? ''}
            onChange={(e) => set(index, 'open', e.currentTarget.value)}
          />
          <TextInput
            label={`${DAY_NAMES[h.day]} closes`}
            type="time"
            value={h.close ?? ''}
            onChange={(e) => set(index, 'close', e.currentTarget.value)}
          />
        </Group>
      ))}
      <Text size="sm" c="dimmed">
        Leave both times empty for a closed day; the same time twice (00:00 and 00:00) is open all day.
      </Text>
    </Stack>
  );
}

function HolidayFields({
  holidays,
  timezone,
  errors,
  onChange,
}: {
  holidays: Holiday[];
  timezone: string;
  errors: Record<string, string>;
  onChange: (holidays: Holiday[]) => void;
}) {
  const set = (index: number, change: Partial<Holiday>) =>
    onChange(holidays.map((h, i) => (i === index ? { ...h, ...change } : h)));
  return (
    <Stack gap="xs">
      <Text size="sm">Closed all day on these dates, in {timezone}.</Text>
      {holidays.map((h, index) => (
        <Group key={index} grow align="end" role="group" aria-label={`Holiday ${index + 1}`}>
          <TextInput
            label={`Holiday ${index + 1} date`}
            type="date"
            required
            value={h.date}
            error={errors[`holidays.${index}.date`]}
            onChange={(e) => set(index, { date: e.currentTarget.value })}
          />
          <TextInput
            label={`Holiday ${index + 1} name`}
            value={h.name ?? ''}
            onChange={(e) => set(index, { name: e.currentTarget.value || null })}
          />
          <Button variant="default" onClick={() => onChange(holidays.filter((_h, i) => i !== index))}>
            Remove holiday {index + 1}
          </Button>
        </Group>
      ))}
      {errors.holidays && (
        <Text c="red" size="sm" role="alert">
          {errors.holidays}
        </Text>
      )}
      <Button variant="default" w="fit-content" onClick={() => onChange([...holidays, { date: '', name: null }])}>
        Add a holiday
      </Button>
    </Stack>
  );
}

/** Every IANA zone the browser knows, so the owner picks one rather than typing it. */
function useTimeZones(current: string): string[] {
  return useMemo(() => {
    const zones = Intl.supportedValuesOf('timeZone');
    return zones.includes(current) ? zones : [current, ...zones];
  }, [current]);
}

function ProfileFields({
  draft,
  errors,
  onChange,
}: {
  draft: BusinessSettings;
  errors: Record<string, string>;
  onChange: (field: keyof BusinessSettings['business'], value: string) => void;
}) {
  const zones = useTimeZones(draft.business.timezone);
  const text = (field: 'name' | 'phone' | 'email' | 'address', label: string, type = 'text') => (
    <TextInput
      label={label}
      type={type}
      required={field === 'name'}
      value={draft.business[field] ?? ''}
      error={errors[`business.${field}`]}
      onChange={(e) => onChange(field, e.currentTarget.value)}
    />
  );
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {text('name', 'Business name')}
      {text('phone', 'Phone', 'tel')}
      {text('email', 'Email', 'email')}
      <Select
        label="Time zone"
        searchable
        data={zones}
        value={draft.business.timezone}
        error={errors['business.timezone'] ?? errors['general.timezone']}
        onChange={(zone) => zone && onChange('timezone', zone)}
      />
      {text('address', 'Address')}
    </SimpleGrid>
  );
}

/** The business profile, the week's hours and the holidays the assistant answers from. */
export function ProfileSection({ initial, editable }: { initial: BusinessSettings; editable: boolean }) {
  const [draft, setDraft] = useState(initial);
  const [notice, setNotice] = useState<Notice | null>(null);
  useEffect(() => setDraft(initial), [initial]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await api.PATCH('/app/api/settings', { body: { ...draft, holidays: draft.holidays ?? [] } });
    setNotice(noticeOf(answer));
    if (answer.data) setDraft(answer.data.data);
  };
  const errors = notice?.fields ?? {};
  return (
    <form onSubmit={(event) => void save(event)} aria-label="Business profile and hours">
      <EditableFields editable={editable}>
        <Paper withBorder p="md" component="section" aria-label="Business profile">
          <Title order={2} mb="sm">
            Business profile
          </Title>
          <ProfileFields
            draft={draft}
            errors={errors}
            onChange={(field, value) => setDraft({ ...draft, business: { ...draft.business, [field]: value } })}
          />
        </Paper>
        <Paper withBorder p="md" component="section" aria-label="Opening hours">
          <Title order={2} mb="sm">
            Opening hours
          </Title>
          <HoursFields hours={draft.hours} onChange={(hours) => setDraft({ ...draft, hours })} />
        </Paper>
        <Paper withBorder p="md" component="section" aria-label="Holidays">
          <Title order={2} mb="sm">
            Holidays
          </Title>
          <HolidayFields
            holidays={draft.holidays ?? []}
            timezone={draft.business.timezone}
            errors={errors}
            onChange={(holidays) => setDraft({ ...draft, holidays })}
          />
        </Paper>
        <SaveNotice notice={notice} />
        {editable && (
          <Button type="submit" w="fit-content">
            Save profile and hours
          </Button>
        )}
      </EditableFields>
    </form>
  );
}
