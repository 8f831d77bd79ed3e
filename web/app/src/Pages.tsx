import { Title } from '@mantine/core';
import { useEffect } from 'react';
import { AnalyticsPage } from './pages/AnalyticsPage';
import { InboxPage } from './pages/InboxPage';
import { LeadPage } from './pages/LeadPage';
import { LeadsPage } from './pages/LeadsPage';
import { SettingsPage } from './pages/SettingsPage';
import { BASE, navigate, type Location } from './router';

/** The page for a path; `/app/` itself opens the inbox, where the day's work is. */
export function Pages({ location }: { location: Location }) {
  const [, root, section, id] = location.path.split('/');
  const atHome = root === BASE.slice(1) && section === undefined;
  useEffect(() => {
    if (atHome) navigate(`${BASE}/inbox`, { replace: true });
  }, [atHome]);

  switch (section) {
    case 'inbox':
      return <InboxPage conversationId={id ? decodeURIComponent(id) : null} query={location.query} />;
    case 'leads':
      return id ? <LeadPage id={decodeURIComponent(id)} /> : <LeadsPage query={location.query} />;
    case 'analytics':
      return <AnalyticsPage />;
    case 'settings':
      return <SettingsPage />;
    case undefined:
      return null;
    default:
      return <Title order={1}>There is no such page</Title>;
  }
}
