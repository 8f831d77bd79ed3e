import {
  Badge,
  Button,
  Group,
  Loader,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { TeamUser } from '../../api/admin-api';
import type { Role } from '../../api/app-api';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useRequest } from '../../hooks/useRequest';
import { useSession } from '../../session';
import { ConfirmDialog, type Confirmation } from './ConfirmDialog';
import { Notice, type NoticeText } from './Notice';
import { ErrorAlert } from '../../layout/ErrorAlert';

const ROLES: { value: Role; label: string }[] = [
  { value: 'owner', label: 'Owner' },
  { value: 'admin', label: 'Admin' },
  { value: 'agent', label: 'Agent' },
  { value: 'viewer', label: 'Viewer' },
];
const STATUS_COLOR: Record<string, string> = { active: 'teal.9', invited: 'blue.9', deactivated: 'gray.7' };

type Answer = { response: Response; error?: unknown };

function nameOf(user: TeamUser): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ') || user.email;
}

/** The roles a person may hand out: only an owner makes owners. */
function rolesFor(myRole: Role) {
  return myRole === 'owner' ? ROLES : ROLES.filter((r) => r.value !== 'owner');
}

/** The choices of a user's role select: what I may hand out, plus the role they hold now. */
function rowRoles(user: TeamUser, myRole: Role): { value: string; label: string }[] {
  const offered = rolesFor(myRole);
  return offered.some((r) => r.value === user.role)
    ? offered
    : [...offered, { value: user.role, label: ROLES.find((r) => r.value === user.role)?.label ?? user.role }];
}

function InviteForm({ roles, onDone }: { roles: typeof ROLES; onDone: (notice: NoticeText) => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const send = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await api.POST('/app/api/users', {
      body: { email, role, ...(firstName.trim() ? { first_name: firstName.trim() } : {}) },
    });
    if (answer.data) {
      setEmail('');
      setFirstName('');
      await onDone({ ok: true, text: `Invitation sent to ${answer.data.data.email}.` });
    } else await onDone({ ok: false, text: errorMessage(answer.error, answer.response) });
  };
  return (
    <Paper withBorder p="md" component="form" aria-label="Invite a person" onSubmit={(e) => void send(e)}>
      <Title order={2} mb="sm">
        Invite a person
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput
          label="Email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <TextInput label="First name" value={firstName} onChange={(e) => setFirstName(e.currentTarget.value)} />
        <NativeSelect label="Role" data={roles} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} />
      </SimpleGrid>
      <Button type="submit" mt="md">
        Send invitation
      </Button>
    </Paper>
  );
}

/** The team: who has access and with which role; invitations go out by mail. Owners and admins only. */
export function UsersSettings() {
  const { me } = useSession();
  const team = useRequest(() => api.GET('/app/api/users'), 'users');
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);

  const after = async (answer: Answer, ok: string) => {
    setNotice(
      answer.response.ok ? { ok: true, text: ok } : { ok: false, text: errorMessage(answer.error, answer.response) },
    );
    await team.reload();
  };
  const path = (user: TeamUser) => ({ params: { path: { id: user.id } } });
  const changeRole = async (user: TeamUser, role: Role) =>
    after(await api.PATCH('/app/api/users/{id}', { ...path(user), body: { role } }), `${nameOf(user)} is now ${role}.`);
  const resend = async (user: TeamUser) =>
    after(await api.POST('/app/api/users/{id}/invitation', path(user)), `Invitation sent again to ${user.email}.`);
  const ask = (user: TeamUser, kind: 'deactivate' | 'revoke') =>
    setConfirmation(
      kind === 'deactivate'
        ? {
            title: `Deactivate ${nameOf(user)}?`,
            body: 'They are signed out at once and can no longer sign in.',
            confirm: 'Deactivate',
            run: async () =>
              after(await api.POST('/app/api/users/{id}/deactivate', path(user)), `${nameOf(user)} is deactivated.`),
          }
        : {
            title: `Revoke the invitation to ${user.email}?`,
            body: 'The link they were sent stops working.',
            confirm: 'Revoke',
            run: async () =>
              after(await api.DELETE('/app/api/users/{id}/invitation', path(user)), 'Invitation revoked.'),
          },
    );

  return (
    <Stack>
      <Title order={1}>Team</Title>
      <InviteForm
        roles={rolesFor(me.role)}
        onDone={async (result) => {
          setNotice(result);
          await team.reload();
        }}
      />
      <Notice notice={notice} />
      <ErrorAlert error={team.error} />
      {team.loading && <Loader aria-label="Loading the team" />}
      {team.data && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Person</Table.Th>
                <Table.Th scope="col">Role</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {team.data.users.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Td>
                    <Text>{nameOf(user)}</Text>
                    <Text size="xs" c="dimmed">
                      {user.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <NativeSelect
                      aria-label={`Role of ${user.email}`}
                      data={rowRoles(user, me.role)}
                      value={user.role}
                      // Only an owner changes an owner's role; the server refuses others too.
                      disabled={user.status === 'deactivated' || (user.role === 'owner' && me.role !== 'owner')}
                      onChange={(e) => void changeRole(user, e.currentTarget.value as Role)}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[user.status] ?? 'gray.7'}>{user.status}</Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {user.status === 'invited' && (
                        <>
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => void resend(user)}
                            aria-label={`Resend the invitation to ${user.email}`}
                          >
                            Resend
                          </Button>
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => ask(user, 'revoke')}
                            aria-label={`Revoke the invitation to ${user.email}`}
                          >
                            Revoke
                          </Button>
                        </>
                      )}
                      {user.status === 'active' &&
                        user.id !== me.user?.id &&
                        (user.role !== 'owner' || me.role === 'owner') && (
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => ask(user, 'deactivate')}
                            aria-label={`Deactivate ${user.email}`}
                          >
                            Deactivate
                          </Button>
                        )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </Stack>
  );
}
