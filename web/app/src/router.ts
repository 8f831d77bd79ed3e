import { useEffect, useState } from 'react';

/** Every page lives under the app's base; the server answers each of these paths with index.html. */
export const BASE = '/app';

const NAVIGATED = 'fd:navigate';

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATED));
}

export interface Location {
  path: string;
  query: URLSearchParams;
}

function current(): Location {
  const path = window.location.pathname.replace(/\/+$/, '') || '/';
  return { path, query: new URLSearchParams(window.location.search) };
}

/** The page path and query, re-read on back/forward and on every `navigate`. */
export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return location;
}

/** Where a signed-out visitor goes, remembering the page they asked for. */
export function loginPath(next: string): string {
  return `${BASE}/login?next=${encodeURIComponent(next)}`;
}

/** Only a page of this app may be a destination after signing in, never another origin. */
export function safeNext(next: string | null): string {
  return next && next.startsWith(`${BASE}/`) && !next.startsWith('//') ? next : `${BASE}/inbox`;
}
