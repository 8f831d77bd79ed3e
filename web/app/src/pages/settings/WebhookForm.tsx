import { Button, Checkbox, Group, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { WebhookEventName } from '../../api/admin-api';

export interface WebhookDraft {
  url: string;
  events: string[];
}

/** The URL and the events of a webhook, for adding one or changing it. */
export function WebhookForm({
  label,
  events,
  initial,
  submit,
  onSave,
}: {
  label: string;
  events: WebhookEventName[];
  initial: WebhookDraft;
  submit: string;
  onSave: (draft: WebhookDraft) => Promise<boolean>;
}) {
  const [draft, setDraft] = useState(initial);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await onSave(draft)) setDraft(initial);
  };
  return (
    <form aria-label={label} onSubmit={(e) => void save(e)}>
      <Stack>
        <TextInput
          label="Endpoint URL"
          description="A public https address; private and local addresses are refused."
          type="url"
          required
          value={draft.url}
          onChange={(e) => setDraft({ ...draft, url: e.currentTarget.value })}
        />
        <Checkbox.Group
          label="Events"
          description="At least one."
          value={draft.events}
          onChange={(chosen) => setDraft({ ...draft, events: chosen })}
        >
          <Stack gap={6} mt="xs">
            {events.map((e) => (
              <Checkbox key={e.name} value={e.name} label={`${e.name}: ${e.description}`} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Group>
          <Button type="submit" disabled={draft.events.length === 0 || !draft.url.trim()}>
            {submit}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
