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

/** Waits until the WASM bundle has taken over the page. */
export async function hydrated(page: Page) {
  await expect(page.locator('.shell')).toHaveAttribute('data-hydrated', 'true');
}
