import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hydrated, registerByApi, uniqueEmail, watchErrors, PASSWORD } from './helpers';

// Sign-in and chat once in each language, as the browser's own language
// setting chooses it (Accept-Language), with axe on each page; and the
// header's switch, which keeps the page. The words come from the files
// translators edit, so the test follows them.

type Words = Record<string, unknown>;
const words = (locale: string): ((key: string) => string) => {
  const file: Words = JSON.parse(readFileSync(join(__dirname, '..', '..', 'locales', `${locale}.json`), 'utf8'));
  return (key) => {
    const value = key.split('.').reduce<unknown>((v, k) => (v as Words)[k], file);
    if (typeof value !== 'string') throw new Error(`no ${key} in ${locale}`);
    return value;
  };
};

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

async function expectNoViolations(page: Page, where: string) {
  await hydrated(page);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    const lines = violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
    expect(lines, `axe on ${where} (${colorScheme})`).toEqual([]);
  }
}

for (const [locale, browserLocale] of [['en', 'en-US'], ['zh-CN', 'zh-CN'], ['vi', 'vi-VN']] as const) {
  test.describe(`in ${locale}`, () => {
    test.use({ locale: browserLocale });
    // axe in two schemes on several pages: more than the usual 30 s when
    // both databases' projects share two cores.
    test.describe.configure({ timeout: 60_000 });

    test('sign in and chat in that language', async ({ page, request }) => {
      const t = words(locale);
      const errors = watchErrors(page);
      const email = uniqueEmail(`lang-${locale}`);
      await registerByApi(request, email, 'Lang');

      await page.goto('/login');
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await expect(page).toHaveTitle(`${t('login.title')} · Palaver`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('login.heading'));
      await expectNoViolations(page, `/login in ${locale}`);

      // A wrong password first: the error is in the language too.
      await page.getByLabel(t('common.email')).fill(email);
      await page.getByLabel(t('common.password'), { exact: true }).fill('not-the-password-1');
      await page.getByRole('button', { name: t('login.submit'), exact: true }).click();
      await expect(page.getByRole('alert')).toHaveText(t('errors.invalid_credentials'));
      await page.getByLabel(t('common.password'), { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: t('login.submit'), exact: true }).click();

      await expect(page).toHaveURL(/\/app$/);
      await hydrated(page);
      await expect(page.getByRole('heading', { name: t('chat.empty_title') })).toBeVisible();
      const input = page.getByLabel(t('chat.message'), { exact: true });
      await input.fill('echo: 你好，Xin chào, hello');
      await input.press('Enter');
      const answer = page.locator('.message.assistant').last();
      await expect(answer).toContainText('你好，Xin chào, hello');
      await expect(page.getByRole('button', { name: t('chat.send'), exact: true })).toBeVisible();
      await expect(answer.getByRole('button', { name: t('chat.copy_answer') })).toBeVisible();
      // The list's heading is the reader's "Today".
      await expect(page.locator('.conv-group-title').first()).toHaveText(t('dates.today'));
      await expectNoViolations(page, `/app in ${locale}`);

      // The refused password (401) is an answer, not a fault.
      expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    });

    test('the other pages in that language', async ({ page }) => {
      const t = words(locale);
      for (const [path, key] of [['/register', 'register.heading'], ['/forgot-password', 'forgot.title'], ['/no-such-page', 'not_found.title']]) {
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('lang', locale);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(t(key));
        await expectNoViolations(page, `${path} in ${locale}`);
      }
    });
  });
}

test('the header switch changes the language and keeps the page, without JavaScript too', async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ locale: 'en-US', javaScriptEnabled });
    const page = await context.newPage();
    await page.goto('/register?next=%2Fapp');
    if (javaScriptEnabled) await hydrated(page);
    await page.getByRole('button', { name: '简体中文' }).click();
    await expect(page).toHaveURL(/\/register\?next=%2Fapp$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(words('zh-CN')('register.heading'));
    await expect(page.getByRole('button', { name: '简体中文' })).toHaveAttribute('aria-pressed', 'true');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(words('vi')('register.heading'));
    await context.close();
  }
});

// The header holds the language and theme switches beside the site's name
// (and, signed in, the account's menu): at a phone's width every one of its
// controls must stay on the screen and apart, in the language with the
// longest words too.
test('the header fits a phone in each language, signed out and in', async ({ browser }) => {
  test.setTimeout(90_000);
  for (const locale of ['en', 'zh-CN', 'vi']) {
    const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    for (const [path, signedIn] of [['/login', false], ['/app', true]] as const) {
      // Registering signs the context in (the session cookie is shared).
      if (signedIn) await registerByApi(page.request, uniqueEmail(`fit-${locale}`), 'Fit');
      await page.goto(path);
      await hydrated(page);
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      const where = `${path} in ${locale}`;
      await page.screenshot({ path: test.info().outputPath(`header-${locale}-${signedIn ? 'in' : 'out'}.png`) });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${where}: page wider than the screen`).toBeLessThanOrEqual(0);
      const boxes = [];
      for (const control of await page.locator('header').getByRole('button').or(page.locator('header').getByRole('link')).all()) {
        if (!(await control.isVisible())) continue;
        const box = (await control.boundingBox())!;
        const name = (await control.textContent())?.trim() ?? '';
        expect(box.x, `${where}: "${name}" starts off the screen`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${where}: "${name}" ends off the screen`).toBeLessThanOrEqual(390);
        boxes.push({ name, ...box });
      }
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          const apart = a.x + a.width <= b.x + 0.5 || b.x + b.width <= a.x + 0.5 || a.y + a.height <= b.y + 0.5 || b.y + b.height <= a.y + 0.5;
          expect(apart, `${where}: "${a.name}" overlaps "${b.name}"`).toBe(true);
        }
      }
      // The switches are behind one button; opened, they are on the
      // screen, and the language switch works from there.
      await page.getByRole('button', { name: words(locale)('header.display') }).click();
      for (const name of ['English', '简体中文', 'Tiếng Việt']) {
        const box = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
        expect(box.x >= 0 && box.x + box.width <= 390, `${where}: "${name}" in the opened menu is on the screen`).toBe(true);
      }
      await expect(page.getByRole('button', { name: words(locale)('theme.dark') })).toBeInViewport();
      if (signedIn) await expectNoViolations(page, `${where} with the menu open`);
      await page.screenshot({ path: test.info().outputPath(`menu-${locale}-${signedIn ? 'in' : 'out'}.png`) });
    }
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page).toHaveURL(/\/app$/);
    await context.close();
  }
});
