import { Text } from '@mantine/core';

/** Says whether the page updates itself as things happen, or only every so often while the stream is down. */
export function LiveStatus({ connected, pollSeconds }: { connected: boolean; pollSeconds: number }) {
  return (
    <Text size="xs" c="dimmed" role="status">
      {connected ? 'Live updates on' : `Live updates paused; refreshing every ${pollSeconds} s`}
    </Text>
  );
}
