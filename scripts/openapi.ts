import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDeps } from '../src/compose/index.js';
import { renderOpenApi } from '../src/http/openapi.js';

/** Where the committed document lives; CI fails when regenerating it would change it. */
export const OPENAPI_FILE = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));

/**
 * Builds the app on a throwaway in-memory database with fixed settings (never the caller's
 * environment, so the output is the same on every machine) and renders its OpenAPI document.
 */
export async function generateOpenApi(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-openapi-'));
  try {
    const config = loadConfig({
      FRONTDESK_DATA_DIR: dataDir,
      DATABASE_URL: ':memory:',
      FRONTDESK_ADMIN_KEY: 'fd_admin_openapi_generator_key',
      FRONTDESK_MASTER_KEY: 'openapi-generator-master-key-0123456789',
      FRONTDESK_DEMO: '0',
      LOG_LEVEL: 'silent',
    });
    const deps = await createDeps(config);
    try {
      const app = await buildApp(deps);
      await app.ready();
      const text = renderOpenApi(app);
      await app.close();
      return text;
    } finally {
      await deps.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = await generateOpenApi();
  fs.mkdirSync(path.dirname(OPENAPI_FILE), { recursive: true });
  fs.writeFileSync(OPENAPI_FILE, text);
  console.log(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}
