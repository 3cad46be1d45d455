import { test, expect } from '@playwright/test';
import { PASSWORD, hydrated, registerByApi, uniqueEmail, watchErrors } from './helpers';

test('register, land on the app, stay signed in across a reload, sign out', async ({ page }) => {
  const errors = watchErrors(page);
  const email = uniqueEmail('reg');
  await page.goto('/register');
  await hydrated(page);

  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Name (optional)').fill('Nguyễn Thị Minh');
  const password = page.getByLabel('Password');
  // The meter is empty until something is typed.
  await expect(page.locator('.strength')).not.toHaveAttribute('data-score');
  await expect(page.locator('.strength-fill')).toHaveCSS('width', '0px');
  await password.fill('abc');
  await expect(page.locator('.strength')).toHaveAttribute('data-score', '0');
  await password.fill('a much longer passphrase 42!');
  await expect(page.locator('.strength')).toHaveAttribute('data-score', '4');
  await expect(page.locator('.strength-label')).toHaveText('Strength: Very strong');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page).toHaveURL(/\/app$/);
  await expect(page.locator('.user-name')).toHaveText('Nguyễn Thị Minh');
  await expect(page.getByRole('complementary', { name: 'Conversations' })).toBeVisible();

  await page.reload();
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.locator('.user-name')).toHaveText('Nguyễn Thị Minh');

  await hydrated(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/app');
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)app$/);
  expect(errors).toEqual([]);
});

test('a wrong password shows the uniform message and keeps the address typed', async ({ page, request }) => {
  const email = uniqueEmail('wrong');
  await registerByApi(request, email);
  await page.goto('/login');
  await hydrated(page);

  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('not-my-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // A plain post (the page has no script): back with the error's code.
  await expect(page).toHaveURL(/\/login\?next=.*&error=invalid_credentials$/);
  await expect(page.getByRole('alert')).toHaveText('Invalid credentials');
  await expect(page.getByLabel('E-mail')).toHaveValue(email);
  await expect(page.getByLabel('Password')).toHaveValue('');

  // Then the right one opens the app.
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/app$/);
});

test('after signing in, people land where they were going', async ({ page, request }) => {
  const email = uniqueEmail('next');
  await registerByApi(request, email, 'Next Person');
  await page.goto('/app');
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)app$/);
  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // By path: the sign-in page's own URL (/login?next=/app) also ends in /app.
  await expect(page).toHaveURL((url) => url.pathname === '/app');
  await expect(page.locator('.user-name')).toHaveText('Next Person');
});

test('signing in after the browser saw /app redirect to /login lands on /app (HTTP cache on)', async ({ page, request }) => {
  const email = uniqueEmail('loop');
  await registerByApi(request, email, 'Loop Person');
  // Signed out: /app sends the browser to /login. A cached copy of that
  // redirect would be replayed after signing in and loop with /login -> /app.
  await page.goto('/app');
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)app$/);
  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // By path: the sign-in page's own URL (/login?next=/app) also ends in /app.
  await expect(page).toHaveURL((url) => url.pathname === '/app');
  // Typed into the address bar again, and through the root redirect.
  await page.goto('/app');
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.locator('.user-name')).toHaveText('Loop Person');
  await page.goto('/');
  await expect(page).toHaveURL(/\/app$/);
});

test('a taken e-mail is flagged at its field, with the ways on; the next error replaces it', async ({ page, request }) => {
  const email = uniqueEmail('taken');
  await registerByApi(request, email);
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  const field = page.getByLabel('E-mail');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(/already registered/);
  const error = page.locator('#email-error');
  await expect(error).toContainText('This e-mail address is already registered');
  await expect(error.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
  await expect(error.getByRole('link', { name: 'Reset your password' })).toHaveAttribute('href', '/forgot-password');

  // A new address and a weak password: the e-mail's error goes, the
  // password's stands at the password, one alert at a time.
  await field.fill(uniqueEmail('fresh'));
  await page.getByLabel('Password').fill('onlyletters');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#password-error')).toContainText('only one kind of character');
  await expect(error).toBeEmpty();
  await expect(field).not.toHaveAttribute('aria-invalid');
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert')).toHaveCount(1);
});

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false });

  test('the login form still works', async ({ page, request }) => {
    const email = uniqueEmail('nojs');
    await registerByApi(request, email, 'No Script');
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/app$/);
    await expect(page.locator('.user-name')).toHaveText('No Script');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
  });

  test('a wrong password is explained on the returned page, which keeps the e-mail', async ({ page }) => {
    const email = uniqueEmail('nobody');
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('whatever-it-is-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/login\?.*error=invalid_credentials/);
    await expect(page.getByRole('alert')).toHaveText('Invalid credentials');
    await expect(page.getByLabel('E-mail')).toHaveValue(email);
    await expect(page.getByLabel('Password')).toHaveValue('');
    // Kept once: a reload shows an empty form again.
    await page.reload();
    await expect(page.getByLabel('E-mail')).toHaveValue('');
  });

  test('registration works and weak passwords are explained', async ({ page }) => {
    await page.goto('/register');
    await page.getByLabel('E-mail').fill(uniqueEmail('nojsreg'));
    await page.getByLabel('Password').fill('weakpassword');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('alert')).toContainText('mix at least two of letters, digits and symbols');
    await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');

    await page.getByLabel('E-mail').fill(uniqueEmail('nojsreg'));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page).toHaveURL(/\/app$/);
  });
});
