import fs from 'node:fs';
import path from 'node:path';
import type { BlobStorage } from '../../providers/storage/storage.js';

/** A tenant's files outside the database: recordings in blob storage, exports in the data dir. */
export interface TenantFiles {
  /** Removes every file of the tenant; safe to call again. */
  removeTenant(tenantId: string): Promise<void>;
}

export function createTenantFiles(deps: {
  storage: Pick<BlobStorage, 'deletePrefix'>;
  exportsDir: string;
}): TenantFiles {
  return {
    async removeTenant(tenantId) {
      await deps.storage.deletePrefix(`tenants/${tenantId}/`);
      await fs.promises.rm(path.join(deps.exportsDir, tenantId), { recursive: true, force: true });
    },
  };
}
