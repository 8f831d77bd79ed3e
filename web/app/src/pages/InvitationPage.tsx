import { Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import { BASE, navigate } from '../router';
import { ErrorAlert } from '../layout/ErrorAlert';

/** The server's own floor for a password is what counts; this one only saves a round trip for the obvious. */
const MIN_PASSWORD = 10;

/**
 * Where an invitation e-mail leads (`/app/invitations/<token>`): the invited person names
 * themselves and chooses a password, then lands in the app.
 */
export function InvitationPage({ token, onAccepted }: { token: string; onAccepted: () => Promise<void> }) {
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const answer = await api.POST('/app/api/invitations/{token}/accept', {
      params: { path: { token } },
      body: { first_name: firstName, ...(lastName.trim() ? { last_name: lastName } : {}), password },
    });
    setBusy(false);
    if (!answer.response.ok) return setError(errorMessage(answer.error, answer.response));
    await onAccepted();
    navigate(`${BASE}/inbox`, { replace: true });
  };

  return (
    <Container size={420} py="xl" component="main">
      <Title order={1} ta="center" mb="lg">
        Join your team on Frontdesk
      </Title>
      <Paper withBorder p="lg" radius="md">
        <form onSubmit={(event) => void submit(event)} aria-label="Accept the invitation">
          <Stack>
            <TextInput
              label="First name"
              autoComplete="given-name"
              required
              value={firstName}
              onChange={(e) => setFirstName(e.currentTarget.value)}
            />
            <TextInput
              label="Last name"
              autoComplete="family-name"
              value={lastName}
              onChange={(e) => setLastName(e.currentTarget.value)}
            />
            <PasswordInput
              label="Choose a password"
              description={`At least ${MIN_PASSWORD} characters`}
              autoComplete="new-password"
              required
              minLength={MIN_PASSWORD}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <ErrorAlert error={error} />
            <Button type="submit" loading={busy}>
              Accept and sign in
            </Button>
            <Text size="sm" c="dimmed">
              The invitation works once, until it expires.
            </Text>
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}
