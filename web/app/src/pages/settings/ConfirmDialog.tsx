import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';

/** What a confirmation asks: the title, what will happen, the button's words, and the action itself. */
export interface Confirmation {
  title: string;
  body: ReactNode;
  confirm: string;
  run: () => Promise<void>;
}

/** Asks before something that cannot be taken back; focus stays in the dialog and Escape cancels. */
export function ConfirmDialog({ confirmation, onClose }: { confirmation: Confirmation | null; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  // The last question stays in the dialog while it fades out, so it never shows an empty title or button.
  const [shown, setShown] = useState(confirmation);
  useEffect(() => {
    if (confirmation) setShown(confirmation);
  }, [confirmation]);
  const go = async () => {
    if (!confirmation) return;
    setBusy(true);
    try {
      await confirmation.run();
    } finally {
      setBusy(false);
      onClose();
    }
  };
  return (
    <Modal
      opened={confirmation !== null}
      onClose={onClose}
      title={shown?.title ?? ''}
      closeButtonProps={{ 'aria-label': 'Cancel' }}
      centered
    >
      <Stack>
        <Text>{shown?.body}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red.9" loading={busy} onClick={() => void go()}>
            {shown?.confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
