import { Alert, Anchor, Button, Container, Paper, PasswordInput, Stack, Tabs, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import { BASE, navigate, safeNext } from '../router';
import { ErrorAlert } from '../layout/ErrorAlert';

type Notice = { kind: 'error' | 'sent'; text: string } | null;

function PasswordForm({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const { error, response } = await api.POST('/app/api/session', { body: { email, password } });
    setBusy(false);
    if (!response.ok) return setNotice({ kind: 'error', text: errorMessage(error, response) });
    await onSignedIn();
    navigate(safeNext(new URLSearchParams(window.location.search).get('next')), { replace: true });
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Sign in with a password">
      <Stack>
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <ErrorAlert error={notice?.text} />
        <Button type="submit" loading={busy}>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}

function MagicLinkForm() {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const { error, response } = await api.POST('/app/api/magic-link', { body: { email } });
    setBusy(false);
    setNotice(
      response.ok
        ? { kind: 'sent', text: `If ${email} has an account, a sign-in link is on its way. It works once.` }
        : { kind: 'error', text: errorMessage(error, response) },
    );
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Sign in with an emailed link">
      <Stack>
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        {notice && (
          <Alert color={notice.kind === 'error' ? 'red' : 'teal'} role={notice.kind === 'error' ? 'alert' : 'status'}>
            {notice.text}
          </Alert>
        )}
        <Button type="submit" loading={busy}>
          Email me a sign-in link
        </Button>
      </Stack>
    </form>
  );
}

function AdminKeyForm({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const { error, response } = await api.POST('/app/api/admin-session', { body: { key } });
    setBusy(false);
    if (!response.ok) return setNotice({ kind: 'error', text: errorMessage(error, response) });
    await onSignedIn();
    // The admin key opens the platform view only, whatever page was asked for.
    navigate(`${BASE}/platform`, { replace: true });
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Sign in as the platform admin">
      <Stack>
        <PasswordInput
          label="Admin key"
          description="The platform's FRONTDESK_ADMIN_KEY"
          autoComplete="off"
          required
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
        />
        <ErrorAlert error={notice?.text} />
        <Button type="submit" loading={busy}>
          Open the platform view
        </Button>
      </Stack>
    </form>
  );
}

/** Password, magic link or the platform admin key; a signed-in visitor who lands here is offered the way back in. */
export function LoginPage({ onSignedIn, signedIn }: { onSignedIn: () => Promise<void>; signedIn: boolean }) {
  return (
    <Container size={420} py="xl" component="main">
      <Title order={1} ta="center" mb="lg">
        Sign in to Frontdesk
      </Title>
      <Paper withBorder p="lg" radius="md">
        {signedIn ? (
          <Anchor href={safeNext(new URLSearchParams(window.location.search).get('next'))}>
            You are signed in: open the app
          </Anchor>
        ) : (
          <Tabs defaultValue="password">
            <Tabs.List grow mb="md">
              <Tabs.Tab value="password">Password</Tabs.Tab>
              <Tabs.Tab value="link">Email link</Tabs.Tab>
              <Tabs.Tab value="admin">Platform admin</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="password">
              <PasswordForm onSignedIn={onSignedIn} />
            </Tabs.Panel>
            <Tabs.Panel value="link">
              <MagicLinkForm />
            </Tabs.Panel>
            <Tabs.Panel value="admin">
              <AdminKeyForm onSignedIn={onSignedIn} />
            </Tabs.Panel>
          </Tabs>
        )}
      </Paper>
    </Container>
  );
}
