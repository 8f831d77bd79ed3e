import { Alert } from '@mantine/core';
import { errorMessage } from '../../api/errors';
import { fieldErrors } from '../../api/field-errors';

export interface Notice {
  ok: boolean;
  text: string;
  fields: Record<string, string>;
}

/** What a save answered: "Saved." or the server's message, with its refusals per field for the form to place. */
export function noticeOf(answer: { error?: unknown; response: Response }, saved = 'Saved.'): Notice {
  return answer.response.ok
    ? { ok: true, text: saved, fields: {} }
    : { ok: false, text: errorMessage(answer.error, answer.response), fields: fieldErrors(answer.error) };
}

/** The save's outcome, announced: a status when it worked, an alert when it did not. */
export function SaveNotice({ notice }: { notice: Notice | null }) {
  if (!notice) return null;
  return (
    <Alert color={notice.ok ? 'teal' : 'red'} role={notice.ok ? 'status' : 'alert'}>
      {notice.text}
    </Alert>
  );
}
