import { Alert, Button, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';

/** A secret the server answered once: shown in a copyable field with the warning that it is not shown again. */
export function OnceSecret({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  return (
    <Alert variant="outline" color="red.9" title={`Your new ${label}`} role="status">
      <Stack gap="xs">
        <Text size="sm">Copy it now and keep it somewhere safe: you will not see it again.</Text>
        <TextInput label={label} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <Group>
          <CopyButton value={value}>
            {({ copied, copy }) => <Button onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}
          </CopyButton>
          <Button variant="default" onClick={onDone}>
            I have copied it
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
