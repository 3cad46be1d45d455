import { test, expect } from '@playwright/test';
import { PASSWORD, hydrated, readMail, registerByApi, uniqueEmail } from './helpers';

test('forgot password, read the mail, set a new password, sign in with it', async ({ page, request }) => {
  const email = uniqueEmail('reset');
  await registerByApi(request, email, 'Reset Person');

  await page.goto('/login');
  await hydrated(page);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account exists');

  const mail = await readMail(email, 'Reset your Palaver password');
  const link = mail.match(/https?:\/\/[^\s"<>]+\/reset-password\?token=[A-Za-z0-9_-]+/)![0];
  const url = new URL(link);
  const response = await page.goto(url.pathname + url.search);
  expect(response?.headers()['referrer-policy']).toBe('same-origin');
  await hydrated(page);
  // The token leaves the address bar once the page has it.
  await expect(page).toHaveURL(/\/reset-password$/);

  await page.getByLabel('New password').fill('my-new-secret-42');
  await expect(page.locator('.strength')).not.toHaveAttribute('data-score', '0');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByRole('status')).toContainText('Your password was changed');

  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('my-new-secret-42');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.locator('.user-name')).toHaveText('Reset Person');

  // The link was single-use: opened again, it says so instead of showing
  // a form that cannot work, and offers a new one.
  await page.goto(url.pathname + url.search);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link no longer works');
  await expect(page).toHaveTitle('This link no longer works · Palaver');
  await expect(page.getByRole('alert')).toContainText('invalid, already used, or expired');
  await expect(page.getByLabel('New password')).toHaveCount(0);
  await page.getByRole('link', { name: 'Ask for a new link' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
});

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false });

  test('the reset flow works with plain forms', async ({ page, request }) => {
    const email = uniqueEmail('reset-nojs');
    await registerByApi(request, email);
    await page.goto('/forgot-password');
    await page.getByLabel('E-mail').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByRole('status')).toContainText('If an account exists');

    const mail = await readMail(email, 'Reset your Palaver password');
    const token = mail.match(/reset-password\?token=([A-Za-z0-9_-]+)/)![1];
    await page.goto(`/reset-password?token=${token}`);
    await page.getByLabel('New password').fill('onlyletters');
    await page.getByRole('button', { name: 'Set new password' }).click();
    // Without JavaScript too, the refusal names the rule it broke.
    await expect(page.getByRole('alert')).toContainText('uses only one kind of character');

    await page.getByLabel('New password').fill('plain-form-pass-3');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect(page).toHaveURL(/\/login\?reset=1$/);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('plain-form-pass-3');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/app$/);
  });
});

test('a reset link without a token explains what to do', async ({ page }) => {
  await page.goto('/reset-password');
  await expect(page.getByRole('alert')).toContainText('invalid, already used, or expired');
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
  await expect(page.getByLabel('E-mail')).toHaveCount(0);
  void PASSWORD;
});
