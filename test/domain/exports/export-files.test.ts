import fs from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, writeExportFile } from '../../../src/domain/exports/index.js';
import type { RequestDetail } from '../../../src/surfaces/ingestion/views.js';
import { requestExportLayout } from '../../../src/surfaces/ingestion/views.js';

function onePage(): AsyncIterable<RequestDetail[]> {
  const record = {
    request_id: 'req_1',
    source_type: 'callrail',
    status: 'completed',
    original_payload: { note: 'x'.repeat(200_000) },
    crm_integrations: [],
  };
  return Readable.from([Array.from({ length: 20 }, () => record as unknown as RequestDetail)]);
}

// /dev/full accepts the open and fails every write with ENOSPC: a full disk on demand.
describe.skipIf(!fs.existsSync('/dev/full'))('writeExportFile on a full disk (/dev/full)', () => {
  it.each(EXPORT_FORMATS)(
    'rejects the %s export with the write error instead of waiting on the disk',
    async (format) => {
      await expect(writeExportFile(format, '/dev/full', onePage(), requestExportLayout)).rejects.toMatchObject({
        code: 'ENOSPC',
      });
    },
  );
});
