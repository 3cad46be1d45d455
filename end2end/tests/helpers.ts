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

/** Waits until the WASM bundle has taken over the page. The suite runs a
 *  debug build (a WASM of several MB, compiled by each new page), two
 *  browsers and two servers on two cores: on a loaded CI machine that can
 *  take longer than the usual 10 s of an expectation. */
export async function hydrated(page: Page) {
  await expect(page.locator('.shell')).toHaveAttribute('data-hydrated', 'true', { timeout: 20_000 });
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
