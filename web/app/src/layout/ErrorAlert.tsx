import { Alert } from '@mantine/core';

/** A request's refusal or failure as the page shows it: read out at once, nothing when there is none. */
export function ErrorAlert({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert">
      {error}
    </Alert>
  );
}
