import { Text } from '@mantine/core';
import type { LiveState } from '../hooks/useLiveEvents';

const SAYS: Record<LiveState, (pollSeconds: number) => string> = {
  open: () => 'Live updates on',
  connecting: () => 'Connecting to live updates…',
  down: (pollSeconds) => `Live updates paused; refreshing every ${pollSeconds} s`,
};

/** Says whether the page updates itself as things happen, or only every so often while the stream is down. */
export function LiveStatus({ state, pollSeconds }: { state: LiveState; pollSeconds: number }) {
  return (
    <Text size="xs" c="dimmed" role="status">
      {SAYS[state](pollSeconds)}
    </Text>
  );
}
