import { Alert } from '@mantine/core';

/** How an action went: a polite status when it worked, an alert when it did not. */
export interface NoticeText {
  ok: boolean;
  text: string;
}

export function Notice({ notice }: { notice: NoticeText | null }) {
  if (!notice) return null;
  return (
    <Alert color={notice.ok ? 'teal' : 'red'} role={notice.ok ? 'status' : 'alert'}>
      {notice.text}
    </Alert>
  );
}
