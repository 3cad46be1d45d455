import { test, expect, type Page } from '@playwright/test';
import { hydrated, sendMessage, signInToChat, uniqueEmail, watchErrors, PASSWORD } from './helpers';

// Chat v2 in the browser: versions of questions (edit) and answers
// (regenerate) with the ‹ 1 / 2 › switch, an answer followed across a
// reload, and search from the sidebar.

const signIn = (page: Page) => signInToChat(page, 'chat2');
const send = sendMessage;

const questions = (page: Page) => page.locator('.message.user .message-body');
const answer = (page: Page) => page.locator('.message.assistant').last();
const idle = (page: Page) => expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 15_000 });

test('an edited question is a new version; the old one is a click away and the choice is kept', async ({ page }) => {
  const errors = watchErrors(page);
  await signIn(page);
  await send(page, 'echo: the first wording');
  await idle(page);
  await expect(answer(page).locator('.message-body')).toHaveText('the first wording');

  const question = page.locator('.message.user').first();
  await question.getByRole('button', { name: 'Edit' }).click();
  const box = page.getByRole('textbox', { name: 'Edit your message' });
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('echo: the first wording');
  await box.fill('echo: the second wording');
  await question.getByRole('button', { name: 'Send' }).click();
  await idle(page);
  await expect(questions(page)).toHaveText(['echo: the second wording']);
  await expect(answer(page).locator('.message-body')).toHaveText('the second wording');
  const versions = page.locator('.message.user').getByRole('group', { name: 'Versions' });
  await expect(versions).toContainText('2 / 2');

  await versions.getByRole('button', { name: 'Previous version' }).click();
  await expect(questions(page)).toHaveText(['echo: the first wording']);
  await expect(answer(page).locator('.message-body')).toHaveText('the first wording');
  await expect(versions).toContainText('1 / 2');
  // The focus stays on the switch (its arrow at the edge is disabled: the other).
  await expect(versions.getByRole('button', { name: 'Next version' })).toBeFocused();

  // The server remembers the version shown.
  await page.reload();
  await expect(questions(page)).toHaveText(['echo: the first wording']);
  await expect(versions).toContainText('1 / 2');
  expect(errors).toEqual([]);
});

test('Regenerate writes another version of an answer', async ({ page }) => {
  await signIn(page);
  await send(page, 'hello, regenerate me');
  await idle(page);
  await answer(page).getByRole('button', { name: 'Regenerate' }).click();
  await idle(page);
  await expect(page.locator('.message.assistant')).toHaveCount(1);
  const versions = answer(page).getByRole('group', { name: 'Versions' });
  await expect(versions).toContainText('2 / 2');
  await expect(answer(page).locator('.message-body')).toHaveText('Hello from the fake model.');
  await versions.getByRole('button', { name: 'Previous version' }).click();
  await expect(versions).toContainText('1 / 2');
  await expect(questions(page)).toHaveText(['hello, regenerate me']);

  // The conversation downloads as Markdown (the branch shown).
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export as Markdown' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.md$/);
  const { readFile } = await import('node:fs/promises');
  const markdown = await readFile((await file.path())!, 'utf8');
  expect(markdown).toContain('hello, regenerate me');
  expect(markdown).toContain('Hello from the fake model.');
});

test('a reload during an answer shows what arrived and goes on streaming it', async ({ page }) => {
  await signIn(page);
  await send(page, 'slow, survive a reload');
  await expect(answer(page)).toContainText('word5');
  await expect(page).toHaveURL(/\/app\?c=\d+$/);
  await page.reload();
  await hydrated(page);
  // Still running: Stop is offered, and the answer grows from where it was.
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect(answer(page)).toContainText('word40', { timeout: 15_000 });
  await idle(page);
  const text = (await answer(page).locator('.message-body').textContent()) ?? '';
  // Whole and once: nothing lost or doubled across the reload.
  const words = text.trim().split(/\s+/);
  expect(words).toEqual(Array.from({ length: 150 }, (_, i) => `word${i}`));
});

test('search finds a conversation by its words and opens it at the message', async ({ page }) => {
  await signIn(page);
  await send(page, 'echo: the quokka lives on Rottnest island');
  await idle(page);
  await page.getByRole('link', { name: 'New chat' }).click();
  await send(page, 'echo: something else entirely');
  await idle(page);

  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('quokka');
  const results = page.getByRole('list', { name: 'Search conversations' });
  await expect(results.getByRole('link').first()).toContainText('quokka');
  await expect(results.locator('mark').first()).toHaveText(/quokka/i);
  // Only the conversation that has the word.
  await expect(results.getByRole('link', { name: /something else/ })).toHaveCount(0);
  await results.getByRole('link').first().click();
  await expect(questions(page)).toHaveText(['echo: the quokka lives on Rottnest island']);
  await expect(page).toHaveURL(/\/app\?c=\d+$/);

  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('nothing-like-this-anywhere');
  await expect(page.getByText('No conversation matches.')).toBeVisible();
});

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false });

  test('search is a plain form whose results the server renders', async ({ page }) => {
    const res = await page.request.post('/auth/register', {
      data: { email: uniqueEmail('chat2-nojs'), password: PASSWORD },
    });
    expect(res.status()).toBe(201);
    const sent = await page.request.post('/api/chat', { data: { message: 'echo: a wombat digs burrows' } });
    expect(sent.status()).toBe(200);
    await sent.body();
    await page.goto('/app');
    await page.getByRole('searchbox', { name: 'Search conversations' }).fill('wombat');
    await page.getByRole('searchbox', { name: 'Search conversations' }).press('Enter');
    await expect(page).toHaveURL(/\/app\?q=wombat$/);
    const link = page.getByRole('list', { name: 'Search conversations' }).getByRole('link').first();
    await expect(link).toContainText('wombat');
    await link.click();
    await expect(page.locator('.message.user .message-body')).toHaveText(['echo: a wombat digs burrows']);
  });
});
