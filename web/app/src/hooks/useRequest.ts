import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/errors';

export interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export interface RequestState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Runs `load` when `key` changes and keeps what its answer wraps in `data`; with `everyMs`, again
 * on that period while the tab is visible. Pages pass `everyMs` only while their live stream is
 * down (`useLiveEvents`), and otherwise `reload` on the events they hear.
 */
export function useRequest<T>(
  load: () => Promise<Answer<{ data: T }>>,
  key: string,
  everyMs?: number,
): RequestState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    try {
      const answer = await loadRef.current();
      if (ticket !== latest.current) return;
      if (answer.data !== undefined) {
        setData(answer.data.data);
        setError(null);
      } else setError(errorMessage(answer.error, answer.response));
    } catch (failure) {
      if (ticket === latest.current) setError(errorMessage(failure));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setLoading(true);
    setData(null);
    void reload();
  }, [key, reload]);

  // Apart from the load above, so the poll starting or stopping keeps what is shown.
  useEffect(() => {
    if (!everyMs) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs, reload]);

  return { data, error, loading, reload };
}
