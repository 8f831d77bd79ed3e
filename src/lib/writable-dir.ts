import fs from 'node:fs';
import path from 'node:path';

/**
 * Creates `dir` if needed, then writes and removes a small file in it; throws the file system's
 * error (with its `code`) when the directory will not take writes.
 */
export async function checkWritable(dir: string): Promise<void> {
  const file = path.join(dir, `.write-check-${process.pid}-${Date.now()}`);
  await fs.promises.mkdir(dir, { recursive: true });
  await fs.promises.writeFile(file, 'ok');
  await fs.promises.rm(file, { force: true });
}
