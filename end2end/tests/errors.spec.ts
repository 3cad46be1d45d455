import { test, expect, type Page } from '@playwright/test';
import { hydrated, watchErrors } from './helpers';

// Words an attacker would like our sign-in page to say.
const CRAFTED = 'Your account is locked, call +1 555 0100';
const GENERIC = 'Please check the form and try again';

/** `?__path=...&__err=...` as Leptos writes it after a failed plain form
 *  post: the error body, base64url with padding (server_fn's URL_SAFE). */
function serializedError(body: unknown, raw?: string): string {
  const b64 = Buffer.from(raw ?? JSON.stringify(body))
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
  return `__path=${encodeURIComponent('/auth/login')}&__err=${encodeURIComponent(b64)}`;
}

const cases: { name: string; query: string; shown: string }[] = [
  { name: 'a script as the error code', query: 'error=%3Cscript%3Ealert(1)%3C%2Fscript%3E', shown: GENERIC },
  { name: 'a made-up error code', query: `error=${encodeURIComponent(CRAFTED)}`, shown: GENERIC },
  {
    name: 'a serialized bad_request with text of its own',
    query: serializedError({ ok: false, error: CRAFTED, code: 'bad_request' }),
    shown: GENERIC,
  },
  {
    name: 'a serialized known code with text of its own',
    query: serializedError({ ok: false, error: CRAFTED, code: 'invalid_credentials' }),
    shown: 'Invalid credentials',
  },
  {
    name: 'a serialized unknown code',
    query: serializedError({ ok: false, error: CRAFTED, code: 'account_locked' }),
    shown: GENERIC,
  },
  {
    name: 'a serialized body that is not JSON',
    query: serializedError(null, `{"ok": "${CRAFTED}`),
    shown: GENERIC,
  },
];

async function expectOnlyFixedText(page: Page, shown: string) {
  await expect(page.getByRole('alert')).toHaveText(shown);
  await expect(page.locator('body')).not.toContainText('account is locked');
  await expect(page.locator('body')).not.toContainText('alert(1)');
}

for (const { name, query, shown } of cases) {
  test(`the login page shows only fixed text for ${name}`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(`/login?${query}`);
    await hydrated(page);
    await expectOnlyFixedText(page, shown);
    expect(errors).toEqual([]);
  });
}

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false });

  for (const { name, query, shown } of cases) {
    test(`the server-rendered login page shows only fixed text for ${name}`, async ({ page }) => {
      await page.goto(`/login?${query}`);
      await expectOnlyFixedText(page, shown);
    });
  }
});
