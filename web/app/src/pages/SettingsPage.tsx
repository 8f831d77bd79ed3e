import { Loader, Stack, Tabs, Title } from '@mantine/core';
import { api } from '../api/client';
import { useRequest } from '../hooks/useRequest';
import { useSession } from '../session';
import { MobileForm } from './MobileForm';
import { ChannelsSection } from './settings/ChannelsSection';
import { KnowledgeSection } from './settings/KnowledgeSection';
import { NotificationsSection } from './settings/NotificationsSection';
import { ProfileSection } from './settings/ProfileSection';
import { ServicesSection } from './settings/ServicesSection';
import { ErrorAlert } from '../layout/ErrorAlert';

/** Everything the assistant answers from, in sections; owners and admins change them, others read them. */
export function SettingsPage() {
  const { me } = useSession();
  const editable = me.role === 'owner' || me.role === 'admin';
  const loaded = useRequest(() => api.GET('/app/api/settings'), 'settings');
  return (
    <Stack>
      <Title order={1}>Settings</Title>
      <MobileForm />
      <ErrorAlert error={loaded.error} />
      {!loaded.data && !loaded.error && <Loader aria-label="Loading settings" />}
      {loaded.data && (
        <Tabs defaultValue="profile" keepMounted={false}>
          <Tabs.List mb="md" aria-label="Settings sections">
            <Tabs.Tab value="profile">Profile and hours</Tabs.Tab>
            <Tabs.Tab value="services">Services and prices</Tabs.Tab>
            <Tabs.Tab value="knowledge">Knowledge base</Tabs.Tab>
            <Tabs.Tab value="channels">Channels</Tabs.Tab>
            <Tabs.Tab value="notifications">Notifications</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="profile">
            <ProfileSection initial={loaded.data} editable={editable} />
          </Tabs.Panel>
          <Tabs.Panel value="services">
            <ServicesSection editable={editable} />
          </Tabs.Panel>
          <Tabs.Panel value="knowledge">
            <KnowledgeSection editable={editable} />
          </Tabs.Panel>
          <Tabs.Panel value="channels">
            <ChannelsSection editable={editable} />
          </Tabs.Panel>
          <Tabs.Panel value="notifications">
            <NotificationsSection editable={editable} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}
