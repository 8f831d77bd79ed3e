import { Center, Loader } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Me } from './api/app-api';
import { api, onSignedOut } from './api/client';
import { Shell } from './layout/Shell';
import { InvitationPage } from './pages/InvitationPage';
import { LoginPage } from './pages/LoginPage';
import { Pages } from './Pages';
import { BASE, loginPath, navigate, useLocation } from './router';
import { SessionContext, type Session } from './session';

type Who = { state: 'checking' } | { state: 'out' } | { state: 'in'; me: Me };

/** Asks the server who is signed in; the answer decides between the log-in page and the app. */
export function App() {
  const location = useLocation();
  const [who, setWho] = useState<Who>({ state: 'checking' });

  const refresh = useCallback(async () => {
    const { data } = await api.GET('/app/api/me');
    setWho(data ? { state: 'in', me: data.data } : { state: 'out' });
  }, []);

  useEffect(() => {
    void refresh();
    return onSignedOut(() => setWho({ state: 'out' }));
  }, [refresh]);

  const onLoginPage = location.path === `${BASE}/login`;
  // An invitation is opened signed out, by someone who has no password yet.
  const invitation = /^\/app\/invitations\/([^/]+)$/.exec(location.path)?.[1];
  useEffect(() => {
    if (who.state === 'out' && !onLoginPage && !invitation) {
      navigate(loginPath(window.location.pathname + window.location.search), { replace: true });
    }
  }, [who.state, onLoginPage, invitation]);

  const signOut = useCallback(async () => {
    await api.DELETE('/app/api/session');
    setWho({ state: 'out' });
    navigate(`${BASE}/login`);
  }, []);

  const session = useMemo<Session | null>(() => (who.state === 'in' ? { me: who.me, signOut } : null), [who, signOut]);

  if (who.state === 'checking') {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (invitation) return <InvitationPage token={decodeURIComponent(invitation)} onAccepted={refresh} />;
  if (!session || onLoginPage) return <LoginPage onSignedIn={refresh} signedIn={session !== null} />;
  return (
    <SessionContext.Provider value={session}>
      <Shell path={location.path}>
        <Pages location={location} />
      </Shell>
    </SessionContext.Provider>
  );
}
