import { test, expect } from '@playwright/test';
import { watchErrors } from './helpers';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the server-rendered page arrives complete and loads the hydration script', async ({ page }) => {
    const response = await page.goto('/login');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Palaver');
    await expect(page).toHaveTitle('Sign in · Palaver');
    // Not hydrated: the theme switch needs the WASM bundle.
    await expect(page.locator('.shell')).toHaveAttribute('data-hydrated', 'false');
    await expect(page.getByRole('button', { name: 'Dark theme' })).toBeDisabled();
    const html = await response!.text();
    expect(html).toMatch(/<script type="module" nonce="[^"]+">/);
    expect(html).toContain('/pkg/palaver');
  });
});

test('the page hydrates without console errors', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/login');
  await expect(page.locator('.shell')).toHaveAttribute('data-hydrated', 'true');

  const toggle = page.getByRole('button', { name: 'Dark theme' });
  await expect(toggle).toBeEnabled();
  await toggle.click();
  await expect(page.locator('.shell')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('button', { name: 'Light theme' })).toHaveAttribute('aria-pressed', 'true');
  expect(errors).toEqual([]);
});

test('the stylesheet loads under the content security policy', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/login');
  await expect(page.locator('.shell')).toHaveAttribute('data-hydrated', 'true');
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
