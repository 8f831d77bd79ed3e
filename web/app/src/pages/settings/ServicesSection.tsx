import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import type { Service, ServicesSettings } from '../../api/app-api';
import { api } from '../../api/client';
import { noticeOf, SaveNotice, type Notice } from './SaveNotice';

/** Keywords as the owner types them: comma-separated. */
const keywordsOf = (text: string) =>
  text
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);

function ServiceRow({
  service,
  index,
  errors,
  onChange,
  onRemove,
}: {
  service: Service;
  index: number;
  errors: Record<string, string>;
  onChange: (change: Partial<Service>) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const [keywords, setKeywords] = useState(service.keywords.join(', '));
  return (
    <Group grow align="end" role="group" aria-label={`Service ${n}`} wrap="wrap">
      <TextInput
        label={`Service ${n} name`}
        required
        value={service.name}
        error={errors[`services.${index}.name`]}
        onChange={(e) => onChange({ name: e.currentTarget.value })}
      />
      <TextInput
        label={`Service ${n} price`}
        placeholder="from $120"
        value={service.price ?? ''}
        error={errors[`services.${index}.price`]}
        onChange={(e) => onChange({ price: e.currentTarget.value || null })}
      />
      <TextInput
        label={`Service ${n} keywords`}
        description="Words customers use, separated by commas"
        value={keywords}
        onChange={(e) => {
          setKeywords(e.currentTarget.value);
          onChange({ keywords: keywordsOf(e.currentTarget.value) });
        }}
      />
      <Button variant="default" onClick={onRemove}>
        Remove service {n}
      </Button>
    </Group>
  );
}

/** The services the business sells and their prices; the assistant quotes a price when asked. */
export function ServicesSection({ editable }: { editable: boolean }) {
  const [services, setServices] = useState<Service[] | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  // Rows are keyed by a counter so a removed row's typed keywords do not move to its neighbour.
  const [keys, setKeys] = useState<number[]>([]);
  const load = (data: ServicesSettings) => {
    setServices(data.services);
    setKeys(data.services.map((_s, i) => i));
  };
  useEffect(() => {
    void api.GET('/app/api/settings/services').then((answer) => {
      if (answer.data) load(answer.data.data);
      else setNotice(noticeOf(answer));
    });
  }, []);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!services) return;
    const answer = await api.PUT('/app/api/settings/services', { body: { services } });
    setNotice(noticeOf(answer));
    if (answer.data) load(answer.data.data);
  };
  if (!services) return <SaveNotice notice={notice} />;
  const errors = notice?.fields ?? {};
  return (
    <form onSubmit={(event) => void save(event)} aria-label="Services and prices">
      <Paper withBorder p="md" component="fieldset" disabled={!editable}>
        <Title order={2} mb="sm" component="legend">
          Services and prices
        </Title>
        <Stack>
          {services.length === 0 && <Text>No services yet.</Text>}
          {services.map((service, index) => (
            <ServiceRow
              key={keys[index]}
              service={service}
              index={index}
              errors={errors}
              onChange={(change) => setServices(services.map((s, i) => (i === index ? { ...s, ...change } : s)))}
              onRemove={() => {
                setServices(services.filter((_s, i) => i !== index));
                setKeys(keys.filter((_k, i) => i !== index));
              }}
            />
          ))}
          <Button
            variant="default"
            w="fit-content"
            onClick={() => {
              setServices([...services, { name: '', price: null, keywords: [] }]);
              setKeys([...keys, Math.max(-1, ...keys) + 1]);
            }}
          >
            Add a service
          </Button>
          <SaveNotice notice={notice} />
          {editable && (
            <Button type="submit" w="fit-content">
              Save services
            </Button>
          )}
        </Stack>
      </Paper>
    </form>
  );
}
