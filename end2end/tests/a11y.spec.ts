import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, request, type Page, type TestInfo } from '@playwright/test';
import { createAdmin, hydrated, readMail, uniqueEmail, PASSWORD } from './helpers';

// Every page, in both colour schemes, at desktop and phone sizes, must have
// no axe violations of WCAG 2.1 A/AA or of axe's best practices.
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

// What the fake model streams back (see "echo:" in fake-llm.mjs): markdown
// with a code block, a table, a list and a link.
const RICH = [
  'Here is a **summary**, with a [link to the docs](https://example.com/docs).',
  '',
  '- first point',
  '- second point with `inline code`',
  '',
  '| Name | Value |',
  '| ---- | ----- |',
  '| alpha | 1 |',
  '| beta | 2 |',
  '',
  '```rust',
  'fn main() {',
  '    println!("hi");',
  '}',
  '```',
].join('\n');

type Cookies = Awaited<ReturnType<Awaited<ReturnType<typeof request.newContext>>['storageState']>>['cookies'];

// Two accounts per worker, made once: one that never chats (so /app really
// has no conversation) and one that collects the tests' conversations.
const test = base.extend<{}, { quietUser: Cookies; chattyUser: Cookies }>({
  quietUser: [async ({}, use, workerInfo) => use(await signUp(workerInfo.project.use.baseURL!, 'a11y-quiet')), { scope: 'worker' }],
  chattyUser: [async ({}, use, workerInfo) => use(await signUp(workerInfo.project.use.baseURL!, 'a11y-chat')), { scope: 'worker' }],
});

async function signUp(baseURL: string, tag: string): Promise<Cookies> {
  const ctx = await request.newContext({ baseURL });
  const res = await ctx.post('/auth/register', {
    data: { email: uniqueEmail(tag), password: PASSWORD, display_name: 'Ally' },
  });
  expect(res.status()).toBe(201);
  const { cookies } = await ctx.storageState();
  await ctx.dispose();
  return cookies;
}

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** One line per failing node: rule, impact, what it wants, where, and why. */
function describe(v: Violation): string[] {
  return v.nodes.map((n) => {
    const why = (n.failureSummary ?? '').split('\n').slice(1).join(' ').trim();
    return `${v.id} [${v.impact}] ${v.help}: ${n.target.join(' ')}${why ? ` (${why})` : ''}`;
  });
}

/** Runs axe on the hydrated page and fails, listing every violation. */
async function expectNoViolations(page: Page, testInfo: TestInfo, where: string) {
  await hydrated(page);
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const lines = violations.flatMap(describe);
  if (violations.length > 0) {
    await testInfo.attach(`axe ${where}`, { body: JSON.stringify(violations, null, 2), contentType: 'application/json' });
  }
  expect(lines, `axe violations on ${where}:\n  ${lines.join('\n  ')}\n`).toEqual([]);
}

type Fixtures = { page: Page; quietUser: Cookies; chattyUser: Cookies };
type Case = { name: string; check: (f: Fixtures, testInfo: TestInfo) => Promise<void> };

/** A page as it loads. */
const visit = (path: string): Case['check'] => async ({ page }, info) => {
  await page.goto(path);
  await expectNoViolations(page, info, path);
};

const cases: Case[] = [
  { name: '/login', check: visit('/login') },
  { name: '/register', check: visit('/register') },
  { name: '/forgot-password', check: visit('/forgot-password') },
  { name: '/reset-password without a token', check: visit('/reset-password') },
  {
    // A real link from the mail: the form, then its error at the field.
    name: '/reset-password with a live link, after a weak password',
    check: async ({ page }, info) => {
      const email = uniqueEmail('a11y-reset');
      expect((await page.request.post('/auth/register', { data: { email, password: PASSWORD } })).status()).toBe(201);
      await page.context().clearCookies();
      expect((await page.request.post('/auth/password/forgot', { data: { identifier: email } })).status()).toBe(200);
      const mail = await readMail(email, 'Reset your Palaver password');
      const token = mail.match(/reset-password\?token=([A-Za-z0-9_-]+)/)![1];
      await page.goto(`/reset-password?token=${token}`);
      await expectNoViolations(page, info, '/reset-password with a live link');
      await page.getByLabel('New password').fill('onlyletters');
      await page.getByRole('button', { name: 'Set new password' }).click();
      await expect(page.getByRole('alert')).toContainText('only one kind of character');
      await expectNoViolations(page, info, '/reset-password after a weak password');
    },
  },
  { name: 'the 404 page', check: visit('/no-such-page') },
  { name: '/mfa', check: visit('/mfa') },
  {
    name: '/settings',
    check: async ({ page, quietUser }, info) => {
      await page.context().addCookies(quietUser);
      await page.goto('/settings');
      await expect(page.getByRole('heading', { name: 'Where you are signed in' })).toBeVisible();
      await expectNoViolations(page, info, '/settings');
    },
  },
  {
    name: '/settings with an API key just made',
    check: async ({ page, quietUser }, info) => {
      await page.context().addCookies(quietUser);
      await page.goto('/settings');
      await hydrated(page);
      const section = page.getByRole('region', { name: 'API keys' });
      await section.getByLabel('Name').fill(`a11y ${info.project.name}`);
      await section.getByRole('button', { name: 'Create key' }).click();
      await expect(page.locator('#new-api-key')).toBeVisible();
      await expect(section.getByRole('button', { name: 'Revoke' }).first()).toBeVisible();
      await expectNoViolations(page, info, '/settings with a new API key');
    },
  },
  {
    name: '/settings while setting up two-factor sign-in',
    check: async ({ page, quietUser }, info) => {
      await page.context().addCookies(quietUser);
      await page.goto('/settings?mfa=setup');
      await expect(page.locator('#mfa-secret')).toBeVisible();
      await expectNoViolations(page, info, '/settings?mfa=setup');
    },
  },
  {
    name: '/admin',
    check: async ({ page }, info) => {
      const email = uniqueEmail('a11y-admin');
      await createAdmin(info.project.use.baseURL!, email);
      const res = await page.request.post('/auth/login', { data: { identifier: email, password: PASSWORD } });
      expect(res.status()).toBe(200);
      await page.goto('/admin');
      await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
      await expectNoViolations(page, info, '/admin');
    },
  },
  {
    name: '/login after a failed sign-in',
    check: async ({ page }, info) => {
      await page.goto('/login');
      await hydrated(page);
      await page.getByLabel('E-mail').fill(uniqueEmail('nobody'));
      await page.getByLabel('Password').fill('not-my-password-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert')).toHaveText('Invalid credentials');
      await expectNoViolations(page, info, '/login with an error');
    },
  },
  {
    name: '/register after a weak password',
    check: async ({ page }, info) => {
      await page.goto('/register');
      await hydrated(page);
      await page.getByLabel('E-mail').fill(uniqueEmail('weak'));
      await page.getByLabel('Password').fill('weakpassword');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect(page.getByRole('alert')).toContainText('mix at least two');
      await expectNoViolations(page, info, '/register with an error');
    },
  },
  {
    // The server answers any address alike, so the failure is made here:
    // the post is refused as if rate-limited, as the server answers a form
    // (a redirect back with the error's code).
    name: '/forgot-password after a refused request',
    check: async ({ page }, info) => {
      await page.route('**/auth/password/forgot', (route) =>
        route.fulfill({ status: 303, headers: { location: '/forgot-password?error=rate_limited' } }),
      );
      await page.goto('/forgot-password');
      await hydrated(page);
      await page.getByLabel('E-mail').fill(uniqueEmail('forgot'));
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await expect(page.getByRole('alert')).not.toBeEmpty();
      await expectNoViolations(page, info, '/forgot-password with an error');
    },
  },
  {
    name: '/reset-password with a dead link',
    check: async ({ page }, info) => {
      await page.goto('/reset-password?token=not-a-real-token');
      await hydrated(page);
      await expect(page.getByRole('alert')).toContainText('invalid, already used, or expired');
      await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
      await expectNoViolations(page, info, '/reset-password with a dead link');
    },
  },
  {
    name: '/app with no conversation',
    check: async ({ page, quietUser }, info) => {
      await page.context().addCookies(quietUser);
      await page.goto('/app');
      await expectNoViolations(page, info, '/app (empty)');
    },
  },
  {
    name: '/app with a streamed markdown answer, then reloaded',
    check: async ({ page, chattyUser }, info) => {
      await page.context().addCookies(chattyUser);
      await page.goto('/app');
      await hydrated(page);
      const input = page.getByLabel('Message', { exact: true });
      await input.fill(`echo: ${RICH}`);
      await input.press('Enter');
      const answer = page.locator('.message.assistant').last();
      await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
      await expect(answer.locator('table')).toBeVisible();
      await expect(answer.locator('pre code')).toContainText('println!');
      await expect(answer.getByRole('link', { name: 'link to the docs' })).toBeVisible();
      await expect(answer.getByRole('button', { name: 'Copy answer' })).toBeVisible();
      await expectNoViolations(page, info, '/app (streamed)');

      await page.reload();
      await expect(page.locator('.message.assistant').last().locator('table')).toBeVisible();
      await expectNoViolations(page, info, '/app (reloaded)');
    },
  },
  {
    name: '/app with two versions of an answer, a question being edited, and search results',
    check: async ({ page, chattyUser }, info) => {
      await page.context().addCookies(chattyUser);
      await page.goto('/app');
      await hydrated(page);
      const input = page.getByLabel('Message', { exact: true });
      await input.fill('echo: a wombat in the garden');
      await input.press('Enter');
      const send = page.getByRole('button', { name: 'Send' });
      await expect(send).toBeVisible();
      await page.locator('.message.assistant').last().getByRole('button', { name: 'Regenerate' }).click();
      await expect(page.getByRole('group', { name: 'Versions' })).toContainText('2 / 2');
      await expect(send).toBeVisible();
      await page.locator('.message.user').last().getByRole('button', { name: 'Edit' }).click();
      await expect(page.getByRole('textbox', { name: 'Edit your message' })).toBeFocused();
      await expectNoViolations(page, info, '/app (versions, editing)');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.locator('.conversation-prompt summary').click();
      await expect(page.getByRole('textbox', { name: 'System prompt' })).toBeVisible();
      await expectNoViolations(page, info, '/app (system prompt open)');

      const search = page.getByRole('searchbox', { name: 'Search conversations' });
      if (!(await search.isVisible())) await page.getByRole('button', { name: 'Conversations' }).click();
      await search.fill('wombat');
      await expect(page.getByRole('list', { name: 'Search conversations' }).locator('mark').first()).toBeVisible();
      await expectNoViolations(page, info, '/app (search results)');
    },
  },
];

const sizes = [
  { size: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
  { size: 'phone', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
];

for (const { size, use } of sizes) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`${size}, ${colorScheme}`, () => {
      // Reduced motion: colours are measured after, not during, a transition.
      test.use({ ...use, colorScheme, reducedMotion: 'reduce' });
      for (const { name, check } of cases) {
        test(name, async ({ page, quietUser, chattyUser }, testInfo) => {
          await check({ page, quietUser, chattyUser }, testInfo);
        });
      }
    });
  }
}
