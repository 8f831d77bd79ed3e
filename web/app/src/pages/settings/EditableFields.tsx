import { Fieldset, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

/** The controls of a form, all disabled at once for a person who may only read. */
export function EditableFields({ editable, children }: { editable: boolean; children: ReactNode }) {
  return (
    <Fieldset variant="unstyled" disabled={!editable} p={0}>
      <Stack>{children}</Stack>
    </Fieldset>
  );
}
