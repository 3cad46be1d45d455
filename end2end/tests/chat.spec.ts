import { test, expect, type Page } from '@playwright/test';
import { hydrated, sendMessage, signInToChat, uniqueEmail, watchErrors, PASSWORD } from './helpers';

const CHINESE = '你好，世界！这是一个测试。Xin chào thế giới, đây là một bài kiểm tra.';

const signIn = (page: Page) => signInToChat(page);
const send = sendMessage;

const answer = (page: Page) => page.locator('.message.assistant').last();

test('an answer grows over several renders, then the conversation survives a reload', async ({ page }) => {
  const errors = watchErrors(page);
  await signIn(page);
  await send(page, 'please be slow');
  await expect(page.locator('.message.user .message-body').last()).toHaveText('please be slow');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();

  // Sample the answer while it streams: it must be seen at several lengths.
  const lengths = new Set<number>();
  for (let i = 0; i < 40 && lengths.size < 4; i++) {
    const text = (await answer(page).textContent()) ?? '';
    if (text.includes('word')) lengths.add(text.length);
    await page.waitForTimeout(100);
  }
  expect(lengths.size).toBeGreaterThanOrEqual(4);

  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 15_000 });
  await expect(answer(page)).toContainText('word149');
  await expect(page).toHaveURL(/\/app\?c=\d+$/);
  await expect(page.locator('.conv-item.active')).toContainText('please be slow');

  await page.reload();
  await expect(page.locator('.message.user .message-body')).toHaveText(['please be slow']);
  await expect(answer(page)).toContainText('word0 word1');
  await expect(answer(page)).toContainText('word149');
  expect(errors).toEqual([]);
});

test('Stop halts the answer and keeps what arrived', async ({ page }) => {
  await signIn(page);
  await send(page, 'slow again');
  await expect(answer(page)).toContainText('word3');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  const stopped = await answer(page).textContent();
  await page.waitForTimeout(600);
  expect(await answer(page).textContent()).toBe(stopped);
  expect(stopped).not.toContain('word149');
  await expect(answer(page)).toHaveClass(/partial/);

  // The partial answer was stored.
  await page.reload();
  await expect(answer(page)).toContainText('word3');
  await expect(answer(page)).toHaveClass(/partial/);
});

test('Escape stops the answer, and a stopped answer offers Retry', async ({ page }) => {
  await signIn(page);
  await send(page, 'slow, then stop');
  await expect(answer(page)).toContainText('word3');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(answer(page)).toHaveClass(/partial/);
  await expect(answer(page).getByText('Stopped')).toBeVisible();

  // Retry writes a new version of the answer; the stopped one stays as 1 / 2.
  await answer(page).getByRole('button', { name: 'Retry' }).click();
  await expect(page.locator('.message.user .message-body')).toHaveText(['slow, then stop']);
  await expect(page.locator('.message.assistant')).toHaveCount(1);
  await expect(answer(page)).toContainText('word149', { timeout: 15_000 });
  await expect(answer(page).getByRole('group', { name: 'Versions' })).toContainText('2 / 2');
  // Only the latest answer offers it.
  await expect(page.getByText('Stopped')).toHaveCount(0);
});

test('signed out elsewhere, a message goes through sign-in and comes back in the box', async ({ page }) => {
  const email = uniqueEmail('gone');
  const res = await page.request.post('/auth/register', { data: { email, password: PASSWORD } });
  expect(res.status()).toBe(201);
  await page.goto('/app');
  await hydrated(page);
  await send(page, 'hello there');
  await expect(page).toHaveURL(/\/app\?c=\d+$/);
  const conversation = new URL(page.url()).search;
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  // The list has been fetched again after the answer (that fetch, signed
  // out, would leave for the sign-in page before the message is sent).
  await expect(page.getByRole('link', { name: 'hello there' })).toBeVisible();

  // The session ends elsewhere (here: this context's cookie is signed out).
  expect((await page.request.post('/auth/logout')).status()).toBe(200);
  await send(page, 'the question I typed');
  await expect(page).toHaveURL(/\/login\?next=/);
  expect(decodeURIComponent(new URL(page.url()).searchParams.get('next')!)).toBe(`/app${conversation}`);

  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/app\\${conversation}$`));
  await hydrated(page);
  await expect(page.getByLabel('Message', { exact: true })).toHaveValue('the question I typed');
  await expect(page.locator('.message.user .message-body')).toHaveText(['hello there']);
});

test('Chinese and Vietnamese arrive intact', async ({ page }) => {
  await signIn(page);
  await send(page, 'chinese please');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(answer(page).locator('.message-body')).toHaveText(CHINESE);
});

test('markdown renders safely, with a copy button on code', async ({ page }) => {
  const errors = watchErrors(page);
  await signIn(page);
  await send(page, 'markdown please');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  const code = answer(page).locator('.code-block pre code');
  await expect(code).toContainText('fn main()');
  await expect(answer(page).getByRole('button', { name: 'Copy code' })).toBeVisible();
  await expect(answer(page)).toContainText('<script>alert(1)</script>');
  await expect(answer(page).locator('script')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('Shift+Enter makes a new line, and sending is disabled while a reply streams', async ({ page }) => {
  await signIn(page);
  const input = page.getByLabel('Message', { exact: true });
  await input.fill('first line');
  await input.press('Shift+Enter');
  await input.type('slow second line');
  await expect(input).toHaveValue('first line\nslow second line');
  await input.press('Enter');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toHaveCount(0);
  await input.fill('while streaming');
  await input.press('Enter');
  await expect(page.locator('.message.user .message-body')).toHaveCount(1);
  await page.getByRole('button', { name: 'Stop' }).click();
});

test('conversations can be started, switched and deleted', async ({ page }) => {
  await signIn(page);
  await send(page, 'hello one');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(answer(page).locator('.message-body')).toHaveText('Hello from the fake model.');
  await page.getByRole('link', { name: 'New chat' }).click();
  await expect(page.locator('.message')).toHaveCount(0);
  await send(page, 'hello two');
  await expect(answer(page).locator('.message-body')).toHaveText('Hello from the fake model.');
  await expect(page.locator('.conv-item')).toHaveCount(2);

  await page.locator('.conv-item a', { hasText: 'hello one' }).click();
  await expect(page.locator('.message.user .message-body')).toHaveText(['hello one']);

  // Deleted at once on screen, with an Undo instead of a dialog.
  await page.getByRole('button', { name: 'Delete “hello one”' }).click();
  await expect(page.locator('.conv-item:visible')).toHaveCount(1);
  await expect(page.locator('.message')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Deleted “hello one”.' })).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('.conv-item:visible')).toHaveCount(2);
  await expect(page.locator('.message.user .message-body')).toHaveText(['hello one']);

  // Once the offer ends, the server deletes it.
  await page.getByRole('button', { name: 'Delete “hello one”' }).click();
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0, { timeout: 10_000 });
  await page.reload();
  await expect(page.locator('.conv-item a')).toHaveText(['hello two']);
  // Delete needs the bundle: a click before hydration does nothing.
  await hydrated(page);

  // Leaving the page while Undo is offered deletes it too.
  await page.getByRole('button', { name: 'Delete “hello two”' }).click();
  await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
  await page.reload();
  // The browser sends the delete as the page goes (a beacon), which may
  // land just after the new page was rendered.
  await expect
    .poll(async () => {
      await page.reload();
      return page.locator('.conv-item a').count();
    })
    .toBe(0);
  await expect(page.getByText('No conversations yet.')).toBeVisible();
});

test('Clear empties a conversation with an Undo, and leaves no empty entry in the list', async ({ page }) => {
  await signIn(page);
  await send(page, 'keep or clear');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  // The list says when: under its day's heading.
  await expect(page.locator('.conv-group-title')).toHaveText(['Today']);
  await expect(page.locator('.conv-item a')).toHaveText(['keep or clear']);

  // No dialog: the messages go at once, with an Undo that brings them back.
  page.on('dialog', (d) => {
    throw new Error(`unexpected dialog: ${d.message()}`);
  });
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(page.locator('.message')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Cleared “keep or clear”.' })).toBeVisible();
  await expect(page.locator('.conv-item:visible')).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('.message.user .message-body')).toHaveText(['keep or clear']);
  await expect(page.locator('.conv-item:visible')).toHaveCount(1);

  // Cleared for good: once the offer ends the conversation is empty and
  // leaves the list, until its next message.
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0, { timeout: 10_000 });
  await expect(page.locator('.conv-item')).toHaveCount(0);
  await page.reload();
  await hydrated(page);
  await expect(page.locator('.message')).toHaveCount(0);
  await expect(page.getByText('No conversations yet.')).toBeVisible();

  // Sending during the offer clears first, then stores the new message.
  await send(page, 'fresh start');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await send(page, 'after the clear');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  await page.reload();
  await expect(page.locator('.message.user .message-body')).toHaveText(['after the clear']);
  await expect(page.locator('.conv-item a')).toHaveCount(1);
});

test('the focus is in the message box on load, after New chat, switching and Stop', async ({ page }) => {
  await signIn(page);
  const box = page.getByLabel('Message', { exact: true });
  await expect(box).toBeFocused();
  await send(page, 'first talk');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();

  await page.getByRole('link', { name: 'New chat' }).click();
  await expect(box).toBeFocused();
  await send(page, 'slow second talk');
  await expect(answer(page)).toContainText('word2');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(box).toBeFocused();

  await page.getByRole('link', { name: 'first talk' }).click();
  await expect(page.locator('.message.user .message-body')).toHaveText(['first talk']);
  await expect(box).toBeFocused();
});

test('code blocks can be reached and scrolled with the keyboard', async ({ page }) => {
  await signIn(page);
  await send(page, 'markdown please');
  const pre = answer(page).locator('pre').first();
  await expect(pre).toBeVisible();
  await expect(pre).toHaveAttribute('tabindex', '0');
  await pre.focus();
  await expect(pre).toBeFocused();
});

test('Copy puts the whole answer on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  await send(page, 'markdown please');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await answer(page).getByRole('button', { name: 'Copy answer' }).click();
  await expect(answer(page).getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('fn main()');
  expect(copied).toContain('```');
});

test('Copy code puts just the code of its block on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  await send(page, 'markdown please');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await answer(page).getByRole('button', { name: 'Copy code' }).first().click();
  await expect(answer(page).getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('fn main()');
  expect(copied).not.toContain('```');
  await expect(answer(page).getByRole('button', { name: 'Copy code' }).first()).toBeVisible();
});

test('text typed before the page hydrates stays in the box and can be sent', async ({ page }) => {
  const res = await page.request.post('/auth/register', {
    data: { email: uniqueEmail('early'), password: PASSWORD },
  });
  expect(res.status()).toBe(201);
  // A slow link, made certain: the WASM is held back until the text is typed.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/app');
  const input = page.getByLabel('Message', { exact: true });
  await input.pressSequentially('typed early');
  // Not yet working: Send cannot be pressed.
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  release();
  await hydrated(page);
  await expect(input).toHaveValue('typed early');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.message.user .message-body').last()).toHaveText('typed early');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('no control that needs JavaScript is shown, and the page says why', async ({ page }) => {
    const res = await page.request.post('/auth/register', {
      data: { email: uniqueEmail('nojs'), password: PASSWORD },
    });
    expect(res.status()).toBe(201);
    const html = await (await page.goto('/app'))!.text();
    expect(html).toContain('<noscript><p class="notice">Chat needs JavaScript');
    await expect(page.getByLabel('Message', { exact: true })).toBeHidden();
    await expect(page.getByRole('button', { name: 'Send' })).toBeHidden();
    // The theme switch is a form, so it stays, and works.
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await expect(page).toHaveURL(/\/app$/);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  });
});

test('each answer names its model, and a conversation reopens on the model it last used', async ({ page }) => {
  await signIn(page);
  await send(page, 'hello models');
  await expect(answer(page).locator('.message-model .model-name')).toHaveText('fake-model');
  // The name shows from the answer's first line: let it end before the next.
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Model' }).selectOption('other-model');
  await send(page, 'and you?');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(answer(page).locator('.message-model .model-name')).toHaveText('other-model');
  await expect(page).toHaveURL(/\/app\?c=\d+$/);
  await page.reload();
  await hydrated(page);
  await expect(page.locator('.message.assistant .message-model .model-name')).toHaveText(['fake-model', 'other-model']);
  await expect(page.getByRole('combobox', { name: 'Model' })).toHaveValue('other-model');
  // The tab is named after the conversation.
  await expect(page).toHaveTitle('hello models · Palaver');
});

test('a conversation is renamed in place: Enter saves, Escape cancels', async ({ page }) => {
  await signIn(page);
  await send(page, 'name me');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await page.locator('.conv-item').first().hover();
  await page.getByRole('button', { name: 'Rename “name me”' }).click();
  const field = page.getByRole('textbox', { name: 'New name' });
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('name me');
  await field.fill('Trip plans');
  await field.press('Enter');
  await expect(page.locator('.conv-item a')).toHaveText(['Trip plans']);
  await expect(page).toHaveTitle('Trip plans · Palaver');

  await page.locator('.conv-item').first().hover();
  await page.getByRole('button', { name: 'Rename “Trip plans”' }).click();
  await page.getByRole('textbox', { name: 'New name' }).fill('Never mind');
  await page.getByRole('textbox', { name: 'New name' }).press('Escape');
  await expect(page.getByRole('textbox', { name: 'New name' })).toHaveCount(0);
  await expect(page.locator('.conv-item a')).toHaveText(['Trip plans']);
  await page.reload();
  await expect(page.locator('.conv-item a')).toHaveText(['Trip plans']);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the conversation list is a menu that slides out from a button', async ({ page }) => {
    await signIn(page);
    await send(page, 'phone talk');
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
    const menu = page.getByRole('button', { name: 'Conversations' });
    const list = page.getByRole('complementary', { name: 'Conversations' });
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(list).toBeHidden();
    await menu.click();
    await list.getByRole('link', { name: 'New chat' }).click();
    await expect(list).toBeHidden();
    await expect(page.locator('.message')).toHaveCount(0);
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(list).toBeVisible();
    await list.getByRole('link', { name: 'phone talk' }).click();
    await expect(list).toBeHidden();
    await expect(page.locator('.message.user .message-body')).toHaveText(['phone talk']);
    // Escape closes it too; the composer stays within the screen.
    await menu.click();
    await expect(list).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(list).toBeHidden();
    const box = await page.getByLabel('Message', { exact: true }).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  });
});

test('screen readers hear a finished answer once, not every token', async ({ page }) => {
  await signIn(page);
  await expect(page.locator('.messages')).not.toHaveAttribute('aria-live', /.*/);
  await send(page, 'hello there');
  const region = page.locator('[role="status"][aria-live="polite"].visually-hidden');
  await expect(region).toHaveText('Answer: Hello from the fake model.');
});
