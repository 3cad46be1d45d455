import { test, expect } from '@playwright/test';
import {
  PASSWORD,
  approvalServer,
  createAdmin,
  hydrated,
  registerByApi,
  totp,
  uniqueEmail,
  watchErrors,
} from './helpers';

async function signIn(page: import('@playwright/test').Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('changing the password on /settings keeps this browser and signs the others out', async ({ page, browser, request }) => {
  const errors = watchErrors(page);
  const email = uniqueEmail('pw');
  await registerByApi(request, email);
  // Another browser, signed in too.
  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const elsewhere = await other.newPage();
  await signIn(elsewhere, email);
  await expect(elsewhere).toHaveURL(/\/app$/);

  await signIn(page, email);
  await expect(page).toHaveURL(/\/app$/);
  await page.goto('/settings');
  await hydrated(page);
  await page.getByLabel('Current password').fill('not-it-at-all-1');
  await page.getByLabel('New password').fill('a-fresh-horse-77');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert')).toHaveText('Invalid credentials');
  // That refusal is a 401 answer, which the browser logs; nothing else may be.
  errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('status of 401')));

  // The form came back (a plain post); a password is never kept.
  await expect(page.getByLabel('New password')).toHaveValue('');
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password').fill('a-fresh-horse-77');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password was changed');

  // This browser is still in; the other one is out.
  await page.goto('/app');
  await expect(page).toHaveURL(/\/app$/);
  await elsewhere.goto('/app');
  await expect(elsewhere).toHaveURL(/\/login\?next=/);
  await signIn(elsewhere, email, 'a-fresh-horse-77');
  await expect(elsewhere).toHaveURL(/\/app$/);
  await other.close();
  expect(errors).toEqual([]);
});

test('two-factor sign-in: set up from the page, then sign in with a code', async ({ page, request }) => {
  const errors = watchErrors(page);
  const email = uniqueEmail('mfa');
  await registerByApi(request, email);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/app$/);

  await page.goto('/settings');
  await hydrated(page);
  await page.getByRole('link', { name: 'Set up two-factor sign-in' }).click();
  await expect(page.getByRole('img', { name: 'QR code of the two-factor secret' })).toBeVisible();
  const secret = (await page.locator('#mfa-secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await page.getByRole('textbox', { name: 'Code' }).fill(await totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  const codes = page.locator('.recovery-codes li');
  await expect(codes).toHaveCount(10);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/mfa\?next=/);
  await hydrated(page);
  // The code just used to turn it on is spent: the next step's is taken
  // (one step of drift is allowed).
  await page.getByRole('textbox', { name: 'Code' }).fill(await totp(secret, Date.now() / 1000 + 30));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.getByRole('complementary', { name: 'Conversations' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('an admin approves a pending account, which can then chat', async ({ browser }) => {
  const base = approvalServer();
  const adminEmail = uniqueEmail('admin');
  await createAdmin(base, adminEmail);

  const newcomer = await browser.newContext({ baseURL: base });
  const page = await newcomer.newPage();
  const email = uniqueEmail('pending');
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Name (optional)').fill('New Person');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/waiting$/);
  await expect(page.getByText('waiting for an administrator')).toBeVisible();

  const adminContext = await browser.newContext({ baseURL: base });
  const admin = await adminContext.newPage();
  await signIn(admin, adminEmail);
  await expect(admin).toHaveURL(/\/app$/);
  await admin.goto(`/admin?q=${encodeURIComponent(email)}`);
  await hydrated(admin);
  const row = admin.getByRole('row').filter({ hasText: email });
  // The second cell is the role.
  await expect(row.getByRole('cell').nth(1)).toHaveText('Waiting for approval');
  await row.getByRole('button', { name: 'Approve' }).click();
  await expect(row.getByRole('cell').nth(1)).toHaveText('User');

  await page.goto('/app');
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.getByLabel('Message', { exact: true })).toBeVisible();
  await newcomer.close();
  await adminContext.close();
});

test('/admin is a 403 page for anyone but an admin', async ({ page, request }) => {
  // An admin exists first, so the account below is not the database's first.
  await createAdmin(test.info().project.use.baseURL!, uniqueEmail('first-admin'));
  const email = uniqueEmail('nonadmin');
  await registerByApi(request, email);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/app$/);
  // Not an admin: the header has no link to the admin page.
  await expect(page.getByRole('link', { name: 'Admin', exact: true })).toHaveCount(0);
  const res = await page.goto('/admin');
  expect(res!.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Only administrators can see this page' })).toBeVisible();
});
