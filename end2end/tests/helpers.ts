import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const PASSWORD = 'correct-horse-9';

/** A fresh address per call, so tests never share an account. */
export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Creates an account through the JSON API. */
export async function registerByApi(request: APIRequestContext, email: string, displayName?: string) {
  const res = await request.post('/auth/register', {
    data: { email, password: PASSWORD, display_name: displayName },
  });
  expect(res.status()).toBe(201);
}

/** Collects console errors and uncaught exceptions for the whole test. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** Waits until the WASM bundle has hydrated the page's islands; at once on
 *  a page without islands, which loads no script (its HTML is all there
 *  is). The suite runs a debug build (a WASM of several MB, compiled by
 *  each new page), two browsers and two servers on two cores: on a loaded
 *  CI machine that can take longer than the usual 10 s of an expectation. */
export async function hydrated(page: Page) {
  if ((await page.locator('script[type="module"]').count()) === 0) return;
  try {
    await expect(page.locator('.shell')).toHaveAttribute('data-hydrated', 'true', { timeout: 20_000 });
  } catch (e) {
    // Say why: what the page logged or threw, and how far the bundle got.
    const logged = (await page.consoleMessages()).map((m) => `console.${m.type()}: ${m.text()}`);
    const thrown = (await page.pageErrors()).map((err) => `uncaught: ${err.message}`);
    const fetched = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((r) => r.name.includes('/pkg/'))
        .map((r) => {
          const t = r as PerformanceResourceTiming;
          return `${t.name.replace(location.origin, '')} status ${t.responseStatus} at ${Math.round(t.responseEnd)} ms`;
        }),
    );
    const since = await page.evaluate(() => Math.round(performance.now()));
    throw new Error(
      `the page did not hydrate (${since} ms after it loaded)\n  ${[...logged, ...thrown, ...fetched].join('\n  ')}\n${e}`,
    );
  }
}

/** Waits for the newest mail to `to` in the file outbox and returns its text
 *  (quoted-printable soft breaks undone). */
export async function readMail(to: string, subject: string): Promise<string> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = path.join(process.env.PALAVER_E2E_DATA!, 'outbox');
  for (let i = 0; i < 100; i++) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    const mails = files
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '='))
      .filter((m) => m.includes(`To: ${to}`) && m.includes(`Subject: ${subject}`));
    if (mails.length > 0) return mails[mails.length - 1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail "${subject}" for ${to}`);
}

/** The database of the server at `baseURL`, as the config started it. */
export function databaseFor(baseURL: string): string {
  const port = Number(new URL(baseURL).port);
  const e2ePort = Number(process.env.E2E_PORT ?? 3107);
  const data = process.env.PALAVER_E2E_DATA!;
  if (port === e2ePort + 2) return process.env.PALAVER_E2E_POSTGRES!;
  if (port === e2ePort + 4) return `sqlite://${data}/approval.db`;
  return `sqlite://${data}/palaver.db`;
}

/** The address of the server that runs with SIGNUP_MODE=approval. */
export function approvalServer(): string {
  return `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3107) + 4}`;
}

/** Makes an admin account with the real binary (`palaver user create
 *  --admin`), as an operator does, on the database of `baseURL`. */
export async function createAdmin(baseURL: string, email: string) {
  const { execFileSync } = await import('node:child_process');
  const path = await import('node:path');
  const bin = process.env.PALAVER_BIN ?? path.join(__dirname, '../../target/debug/palaver');
  execFileSync(bin, ['user', 'create', '--email', email, '--admin'], {
    input: `${PASSWORD}\n`,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseFor(baseURL), RUST_LOG: 'warn' },
  });
}

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret at a time,
 *  as an authenticator app computes it. */
export async function totp(secret: string, atSeconds = Date.now() / 1000): Promise<string> {
  const { createHmac } = await import('node:crypto');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const c of secret.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atSeconds / 30)));
  const mac = createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}

/** Registers through the page's own request context (which signs the page
 *  in), then opens /app and waits for the bundle. */
export async function signInToChat(page: Page, tag = 'chat') {
  const res = await page.request.post('/auth/register', {
    data: { email: uniqueEmail(tag), password: PASSWORD, display_name: 'Chatty' },
  });
  expect(res.status()).toBe(201);
  await page.goto('/app');
  await hydrated(page);
}

/** Types `text` in the message box and sends it with Enter. */
export async function sendMessage(page: Page, text: string) {
  const input = page.getByLabel('Message', { exact: true });
  await input.fill(text);
  await input.press('Enter');
}
