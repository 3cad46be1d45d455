import { test, expect, request as api, type Page } from '@playwright/test';
import { PASSWORD, hydrated, registerByApi, uniqueEmail, watchErrors } from './helpers';

async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/app$/);
}

/** `GET /auth/me` with only the key: a fresh context, without the cookie
 *  that registering left in the `request` fixture. */
async function meWithKey(key: string): Promise<{ status: number; email?: string }> {
  const ctx = await api.newContext({ baseURL: test.info().project.use.baseURL });
  const res = await ctx.get('/auth/me', { headers: { Authorization: `Bearer ${key}` } });
  const email = res.status() === 200 ? (await res.json()).user.email : undefined;
  await ctx.dispose();
  return { status: res.status(), email };
}

/** The section of /settings with the keys. */
const keysSection = (page: Page) => page.getByRole('region', { name: 'API keys' });

test('an API key made on /settings works as a bearer token until it is revoked there', async ({ page, request }) => {
  const errors = watchErrors(page);
  const email = uniqueEmail('keys');
  await registerByApi(request, email);
  await signIn(page, email);
  await page.goto('/settings');
  await hydrated(page);

  const section = keysSection(page);
  await expect(section.getByText('You have no API keys.')).toBeVisible();
  await section.getByLabel('Name').fill('e2e script');
  await section.getByRole('button', { name: 'Create key' }).click();
  const shown = page.locator('#new-api-key');
  await expect(shown).toHaveText(/^pal_[A-Za-z0-9_-]{43}$/);
  await expect(section.getByRole('status')).toContainText('it will not be shown again');
  const key = (await shown.textContent())!.trim();
  const row = section.getByRole('listitem').filter({ hasText: 'e2e script' });
  await expect(row).toContainText('last used never');

  expect(await meWithKey(key)).toEqual({ status: 200, email: email.toLowerCase() });

  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(section.getByText('You have no API keys.')).toBeVisible();
  await expect(shown).toHaveCount(0);
  expect((await meWithKey(key)).status).toBe(401);
  expect(errors).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a key is made by a plain form post and shown once', async ({ page, request }) => {
    const email = uniqueEmail('keys-nojs');
    await registerByApi(request, email);
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/app$/);

    await page.goto('/settings');
    const section = keysSection(page);
    await section.getByLabel('Name').fill('no-js tool');
    await section.getByRole('button', { name: 'Create key' }).click();
    await expect(page).toHaveURL(/\/settings\?done=api_key$/);
    const key = (await page.locator('#new-api-key').textContent())!.trim();
    expect(key).toMatch(/^pal_[A-Za-z0-9_-]{43}$/);
    await expect(section.getByRole('listitem').filter({ hasText: 'no-js tool' })).toBeVisible();

    expect(await meWithKey(key)).toEqual({ status: 200, email: email.toLowerCase() });

    // Shown once: the page again has no key in it.
    await page.reload();
    await expect(page.locator('#new-api-key')).toHaveCount(0);

    await section.getByRole('listitem').filter({ hasText: 'no-js tool' }).getByRole('button', { name: 'Revoke' }).click();
    await expect(page).toHaveURL(/\/settings\?done=api_key_revoked$/);
    await expect(section.getByText('The key was revoked.')).toBeVisible();
    expect((await meWithKey(key)).status).toBe(401);
  });
});
