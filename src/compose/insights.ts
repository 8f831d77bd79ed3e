import type { Config } from '../config.js';
import { createAnalyticsModule } from '../domain/analytics/index.js';
import { createdRange } from '../domain/calls/index.js';
import { createExportsModule } from '../domain/exports/index.js';
import { conversationExportDownloadPath, conversationExportFile } from '../surfaces/chatbot/views.js';
import { requestDetailPages, requestExportDownloadPath, requestExportLayout } from '../surfaces/ingestion/views.js';
import type { Accounts } from './accounts.js';
import type { ConversationModules } from './conversations.js';
import type { LeadsAndCalls } from './leads-and-calls.js';
import type { Platform } from './platform.js';

/**
 * Figures and files read from every other concept. The documents that offer exports say what the
 * files hold, so their layouts come from the surfaces' views; the export job runs where workers run,
 * even in a worker process that serves no surface.
 */
export function composeInsights(config: Config, p: Platform, a: Accounts, l: LeadsAndCalls, c: ConversationModules) {
  const db = p.database.db;
  const { conversationQuery } = c.conversations;
  const requests = l.calls.requests;
  const analytics = createAnalyticsModule({ db, clock: p.clock, tenants: a.tenants, conversations: conversationQuery });
  const exportsModule = createExportsModule({
    db,
    clock: p.clock,
    queue: p.queue,
    audit: a.audit,
    storage: p.storage,
    dataDir: config.dataDir,
    masterKey: p.master.key,
    publicBaseUrl: config.http.publicBaseUrl,
    requests: {
      range: createdRange,
      pages: (tenantId, range, pageSize) => requestDetailPages(requests.pages(tenantId, range, pageSize)),
      layout: requestExportLayout,
      downloadPath: requestExportDownloadPath,
    },
    conversations: {
      record: (tenantId, id, range) => conversationQuery.record(tenantId, id, range),
      downloadPath: conversationExportDownloadPath,
      file: conversationExportFile,
    },
  });
  return { analytics, exportsModule };
}
