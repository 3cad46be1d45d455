import { test, expect } from '@playwright/test';
import { hydrated, watchErrors } from './helpers';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the server-rendered page arrives complete; only pages with islands load the bundle', async ({ page }) => {
    const response = await page.goto('/login');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Palaver');
    await expect(page).toHaveTitle('Sign in · Palaver');
    const html = await response!.text();
    expect(html).not.toContain('<script type="module"');
    expect(html).not.toContain('.wasm');

    const register = await page.goto('/register');
    await expect(page.locator('.shell')).toHaveAttribute('data-hydrated', 'false');
    const withIslands = await register!.text();
    expect(withIslands).toMatch(/<script type="module" nonce="[^"]+">/);
    expect(withIslands).toContain('/pkg/palaver');
    expect(withIslands).toContain('<leptos-island');
  });

  test('the theme switch is a form: the choice is kept and the server renders it', async ({ page }) => {
    await page.goto('/register');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'system');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await expect(page).toHaveURL(/\/register$/);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('html')).toHaveCSS('background-color', 'rgb(15, 17, 21)');
  });
});

test('the islands hydrate without console errors and work in place', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/register');
  await expect(page.locator('.shell')).toHaveAttribute('data-hydrated', 'true');
  // The password meter is an island: it reacts to typing.
  await page.getByLabel('Password').fill('correct-horse-9');
  await expect(page.locator('.strength')).toHaveAttribute('data-score', /[1-4]/);
  // The theme switch is one too: it applies in place, without a reload,
  // so what was typed stays.
  await page.getByLabel('E-mail').fill('kept@example.com');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'System theme' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByLabel('E-mail')).toHaveValue('kept@example.com');
  await expect(page.getByLabel('Password')).toHaveValue('correct-horse-9');
  expect(errors).toEqual([]);
});

test('the chosen theme survives a reload and is in the first byte, with no flash', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/login');
  await hydrated(page);
  // On a dark device, Light is a real choice (the old toggle offered "Dark").
  await page.getByRole('button', { name: 'Light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.locator('html')).toHaveCSS('background-color', 'rgb(246, 247, 249)');
  // The server renders the choice itself: no script has to run for it.
  const response = await page.reload();
  expect(await response!.text()).toContain('<html lang="en" data-theme="light">');
  await expect(page.getByRole('button', { name: 'Light theme' })).toHaveAttribute('aria-pressed', 'true');
  // Back to System follows the device again, and forgets the cookie.
  await page.getByRole('button', { name: 'System theme' }).click();
  await expect(page.locator('html')).toHaveCSS('background-color', 'rgb(15, 17, 21)');
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'theme')).toBeUndefined();
});

test('the stylesheet loads under the content security policy', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/login');
  await hydrated(page);
  // The top bar is laid out by main.css; unstyled it would be a plain block.
  await expect(page.locator('.topbar')).toHaveCSS('display', 'flex');
  expect(errors).toEqual([]);
});

test('an unknown address shows the 404 page with status 404', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  // Signed out, the way back leads to the sign-in page.
  await page.getByRole('link', { name: 'Go to Palaver' }).click();
  await expect(page).toHaveURL(/\/login$/);
});
