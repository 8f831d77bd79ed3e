import { Title } from '@mantine/core';
import { useEffect } from 'react';
import { AnalyticsPage } from './pages/AnalyticsPage';
import { AppointmentsPage } from './pages/AppointmentsPage';
import { InboxPage } from './pages/InboxPage';
import { LeadPage } from './pages/LeadPage';
import { LeadsPage } from './pages/LeadsPage';
import { RequestPage } from './pages/RequestPage';
import { RequestsPage } from './pages/RequestsPage';
import { PlatformOnlyNotice, PlatformPage } from './pages/PlatformPage';
import { SettingsPage } from './pages/SettingsPage';
import { ApiKeysSettings } from './pages/settings/ApiKeysSettings';
import { UsersSettings } from './pages/settings/UsersSettings';
import { WebhooksSettings } from './pages/settings/WebhooksSettings';
import { BASE, navigate, type Location } from './router';
import { isPlatformAdmin, useSession } from './session';

/**
 * Where a path is only another name for a page: `/app/` itself opens the inbox, where the day's
 * work is, and `/app/conversations/{id}` (the link the server's notices carry) opens that
 * conversation in the inbox.
 */
function aliasOf(root: string | undefined, section: string | undefined, id: string | undefined): string | null {
  if (root === BASE.slice(1) && section === undefined) return `${BASE}/inbox`;
  if (section === 'conversations') return `${BASE}/inbox${id ? `/${id}` : ''}`;
  return null;
}

/** The owner's and admin's settings pages, each at its own path under `/app/settings/`. */
function AdminSettings({ part }: { part: string }) {
  if (part === 'webhooks') return <WebhooksSettings />;
  if (part === 'keys') return <ApiKeysSettings />;
  if (part === 'users') return <UsersSettings />;
  return <Title order={1}>There is no such page</Title>;
}

/** The page for a path. */
export function Pages({ location }: { location: Location }) {
  const { me } = useSession();
  const [, root, section, id] = location.path.split('/');
  const admin = isPlatformAdmin(me);
  const alias = admin && section === undefined ? `${BASE}/platform` : aliasOf(root, section, id);
  useEffect(() => {
    if (alias) navigate(alias, { replace: true });
  }, [alias]);
  if (alias) return null;
  if (admin) return section === 'platform' ? <PlatformPage /> : <PlatformOnlyNotice />;

  switch (section) {
    case 'inbox':
      return <InboxPage conversationId={id ? decodeURIComponent(id) : null} query={location.query} />;
    case 'leads':
      return id ? <LeadPage id={decodeURIComponent(id)} /> : <LeadsPage query={location.query} />;
    case 'requests':
      return id ? <RequestPage id={decodeURIComponent(id)} /> : <RequestsPage query={location.query} />;
    case 'appointments':
      return <AppointmentsPage query={location.query} />;
    case 'analytics':
      return <AnalyticsPage />;
    case 'settings':
      return id ? <AdminSettings part={id} /> : <SettingsPage />;
    case undefined:
      return null;
    default:
      return <Title order={1}>There is no such page</Title>;
  }
}
