import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import type { Me } from '../api/app-api';
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
/** The settings only owners and admins may open, listed under Settings. */
const ADMIN_SECTIONS = [
  { href: `${BASE}/settings/webhooks`, label: 'Webhooks' },
  { href: `${BASE}/settings/keys`, label: 'API keys' },
  { href: `${BASE}/settings/users`, label: 'Team' },
] as const;

/** The section a path is in: the longest link that is the path or a folder of it. */
function currentSection(path: string, hrefs: readonly string[]): string | undefined {
  const within = hrefs.filter((href) => path === href || path.startsWith(`${href}/`));
  return within.sort((a, b) => b.length - a.length)[0];
}

/** The admin key's session has one page. */
const PLATFORM_SECTIONS = [{ href: `${BASE}/platform`, label: 'Platform' }] as const;

/** The links a person's session may follow: the admin key's one page, else the team's, with the owners' and admins' settings. */
function sectionsFor(me: Me): readonly { href: string; label: string }[] {
  if (isPlatformAdmin(me)) return PLATFORM_SECTIONS;
  return me.permissions.includes('settings:write') ? [...SECTIONS, ...ADMIN_SECTIONS] : SECTIONS;
}

/** Header and navigation around every signed-in page; below the `sm` breakpoint the navigation folds behind a menu button. */
export function Shell({ path, children }: { path: string; children: ReactNode }) {
  const { me, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  const sections = sectionsFor(me);
  const current = currentSection(
    path,
    sections.map((s) => s.href),
  );
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
        {sections.map((section) => (
          <NavLink
            key={section.href}
            href={section.href}
            label={section.label}
            pl={ADMIN_SECTIONS.some((a) => a.href === section.href) ? 'xl' : undefined}
            active={section.href === current}
            // The light variant's teal label on its tinted background reads below 4.5:1; filled is white on teal 9.
            variant="filled"
            aria-current={section.href === current ? 'page' : undefined}
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
