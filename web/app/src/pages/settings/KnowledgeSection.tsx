import { Button, Group, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { KnowledgeEntry } from '../../api/app-api';
import { api } from '../../api/client';
import { useRequest } from '../../hooks/useRequest';
import { EditableFields } from './EditableFields';
import { noticeOf, SaveNotice, type Notice } from './SaveNotice';

type Kept = KnowledgeEntry & { id: string };

/** One entry's form: a new one is added, a kept one changed or removed. */
function EntryForm({
  entry,
  editable,
  onSaved,
}: {
  entry: Kept | null;
  editable: boolean;
  onSaved: () => Promise<void>;
}) {
  const [draft, setDraft] = useState<KnowledgeEntry>(entry ?? { question: '', answer: '' });
  const [notice, setNotice] = useState<Notice | null>(null);
  const label = entry ? `Entry ${entry.id.slice('faq_'.length)}` : 'New entry';
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const answer = entry
      ? await api.PATCH('/app/api/settings/knowledge/{id}', { params: { path: { id: entry.id } }, body: draft })
      : await api.POST('/app/api/settings/knowledge', { body: draft });
    setNotice(noticeOf(answer, entry ? 'Saved.' : 'Added.'));
    if (answer.response.ok) {
      if (!entry) setDraft({ question: '', answer: '' });
      await onSaved();
    }
  };
  const remove = async () => {
    if (!entry) return;
    const answer = await api.DELETE('/app/api/settings/knowledge/{id}', { params: { path: { id: entry.id } } });
    if (answer.response.ok) await onSaved();
    else setNotice(noticeOf(answer));
  };
  const errors = notice?.fields ?? {};
  return (
    <Paper withBorder p="md" component="form" aria-label={label} onSubmit={(event) => void save(event)}>
      <EditableFields editable={editable}>
        <TextInput
          label={`${label}: question`}
          required
          value={draft.question}
          error={errors.question}
          onChange={(e) => setDraft({ ...draft, question: e.currentTarget.value })}
        />
        <Textarea
          label={`${label}: answer`}
          required
          autosize
          minRows={2}
          value={draft.answer}
          error={errors.answer}
          onChange={(e) => setDraft({ ...draft, answer: e.currentTarget.value })}
        />
        <SaveNotice notice={notice} />
        {editable && (
          <Group>
            <Button type="submit">{entry ? `Save ${label.toLowerCase()}` : 'Add entry'}</Button>
            {entry && (
              <Button variant="default" color="red" onClick={() => void remove()}>
                Remove {label.toLowerCase()}
              </Button>
            )}
          </Group>
        )}
      </EditableFields>
    </Paper>
  );
}

/** The questions the assistant answers and how; a change applies to its next answer. */
export function KnowledgeSection({ editable }: { editable: boolean }) {
  const entries = useRequest(() => api.GET('/app/api/settings/knowledge'), 'knowledge');
  return (
    <Stack>
      <Title order={2}>Knowledge base</Title>
      <Text size="sm">The assistant answers these questions with these answers, from its next message on.</Text>
      {entries.error && <SaveNotice notice={{ ok: false, text: entries.error, fields: {} }} />}
      {entries.data?.length === 0 && <Text>No entries yet.</Text>}
      {entries.data?.map((entry) => (
        <EntryForm
          key={`${entry.id}:${entry.question}:${entry.answer}`}
          entry={entry}
          editable={editable}
          onSaved={entries.reload}
        />
      ))}
      {editable && <EntryForm entry={null} editable={editable} onSaved={entries.reload} />}
    </Stack>
  );
}
