import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { followLink } from '../Link';
import { BASE } from '../router';
import { displayName, isPlatformAdmin, useSession } from '../session';

const SECTIONS = [
  { href: `${BASE}/inbox`, label: 'Inbox' },
  { href: `${BASE}/leads`, label: 'Leads' },
  { href: `${BASE}/requests`, label: 'Requests' },
  { href: `${BASE}/appointments`, label: 'Appointments' },
  { href: `${BASE}/analytics`, label: 'Analytics' },
  { href: `${BASE}/settings`, label: 'Settings' },
] as const;

/** The admin key's session has one page. */
const PLATFORM_SECTIONS = [{ href: `${BASE}/platform`, label: 'Platform' }] as const;

/** Header and navigation around every signed-in page; below the `sm` breakpoint the navigation folds behind a menu button. */
export function Shell({ path, children }: { path: string; children: ReactNode }) {
  const { me, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Show navigation"
              aria-expanded={opened}
            />
            <Text fw={700}>Frontdesk</Text>
            <Text c="dimmed" size="sm" truncate visibleFrom="xs">
              {me.tenant?.name ?? 'All tenants'}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="sm">
              {displayName(me)} · {me.role}
            </Text>
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Sections">
        {(isPlatformAdmin(me) ? PLATFORM_SECTIONS : SECTIONS).map((section) => (
          <NavLink
            key={section.href}
            href={section.href}
            label={section.label}
            active={path === section.href || path.startsWith(`${section.href}/`)}
            // The light variant's teal label on its tinted background reads below 4.5:1; filled is white on teal 9.
            variant="filled"
            aria-current={path.startsWith(section.href) ? 'page' : undefined}
            onClick={(event) => {
              followLink(event, section.href);
              close();
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
