import { Alert, Button, Group, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import { useSession } from '../session';

/** The signed-in person's own mobile, where the team's notices are texted; every role may set their own. */
export function MobileForm() {
  const { me } = useSession();
  const [phone, setPhone] = useState(me.user?.phone ?? '');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  // The owner link and the admin key sign in no person, so there is no mobile of theirs to keep.
  if (!me.user) return null;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const answer = await api.PATCH('/app/api/me', { body: { phone: phone.trim() || null } });
    setBusy(false);
    if (answer.data) setPhone(answer.data.data.user?.phone ?? '');
    setNotice(
      answer.response.ok
        ? { ok: true, text: 'Your mobile is saved.' }
        : { ok: false, text: errorMessage(answer.error, answer.response) },
    );
  };

  return (
    <Paper withBorder p="md" component="form" onSubmit={(event) => void save(event)} aria-label="Your mobile">
      <Stack>
        <Title order={2}>Your mobile</Title>
        <TextInput
          label="Mobile for notices"
          description="With the country code, like +14155550123. Handoffs are texted here when your team turns SMS on; leave it empty for none."
          type="tel"
          autoComplete="tel"
          value={phone}
          onChange={(e) => setPhone(e.currentTarget.value)}
        />
        {notice && (
          <Alert color={notice.ok ? 'teal' : 'red'} role={notice.ok ? 'status' : 'alert'}>
            {notice.text}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            Save my mobile
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
