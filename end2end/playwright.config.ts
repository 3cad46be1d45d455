import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The server under test is the debug build made by `cargo leptos build`
// (.ci/test.sh passes its path). Playwright starts it on its own port with a
// throwaway SQLite file, waits for /auth/healthz, and stops it at the end.
const root = resolve(__dirname, '..');
const port = Number(process.env.E2E_PORT ?? 3107);
const baseURL = `http://127.0.0.1:${port}`;
const llmPort = Number(process.env.E2E_LLM_PORT ?? 3108);
// With PALAVER_E2E_POSTGRES (a database URL) every test also runs against a
// second server on PostgreSQL: one Playwright project per database.
const postgresUrl = process.env.PALAVER_E2E_POSTGRES;
const pgPort = port + 2;
const bin = process.env.PALAVER_BIN ?? join(root, 'target/debug/palaver');
// Workers load this file too: they must share the runner's folder.
const dataDir = process.env.PALAVER_E2E_DATA ?? mkdtempSync(join(tmpdir(), 'palaver-e2e-'));
process.env.PALAVER_E2E_DATA = dataDir;

/** One Palaver server: the debug binary on `p`, with the database `db`. */
function palaver(p: number, db: string, extra: Record<string, string> = {}) {
  return {
    command: bin,
    cwd: root,
    url: `http://127.0.0.1:${p}/auth/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${p}`,
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? join(root, 'target/site'),
      DATABASE_URL: db,
      MAIL_OUTBOX_DIR: join(dataDir, 'outbox'),
      APP_ENV: 'development',
      RUST_LOG: 'warn',
      // Every test signs up from 127.0.0.1; the real limits are covered by
      // the integration tests.
      RATE_LIMIT_REGISTER_IP: '10000/3600',
      RATE_LIMIT_LOGIN_IP: '10000/600',
      RATE_LIMIT_FORGOT_IP: '10000/3600',
      LLM_BASE_URL: `http://127.0.0.1:${llmPort}/v1`,
      LLM_API_KEY: 'e2e-key',
      LLM_MODEL: 'fake-model',
      LLM_MODELS: 'fake-model,other-model',
      ...extra,
    },
  };
}

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'sqlite', use: { browserName: 'chromium', baseURL } },
    ...(postgresUrl
      ? [{ name: 'postgres', use: { browserName: 'chromium', baseURL: `http://127.0.0.1:${pgPort}` } }]
      : []),
  ],
  webServer: [
    {
      command: 'node fake-llm.mjs',
      url: `http://127.0.0.1:${llmPort}/health`,
      reuseExistingServer: false,
      env: { E2E_LLM_PORT: String(llmPort) },
    },
    palaver(port, `sqlite://${join(dataDir, 'palaver.db')}`),
    ...(postgresUrl ? [palaver(pgPort, postgresUrl)] : []),
    // Sign-up by approval, for the admin's approval test (its own database).
    palaver(port + 4, `sqlite://${join(dataDir, 'approval.db')}`, { SIGNUP_MODE: 'approval' }),
  ],
});
