import { test, expect, type Page } from '@playwright/test';
import { hydrated, sendMessage, signInToChat, watchErrors } from './helpers';

// A conversation's own system prompt (edited in its header), the default
// one new conversations start from (/settings), the token counts under an
// answer, and conversations imported from a file. The fake model answers
// "prompt?" with the system prompt it was sent.

const answer = (page: Page) => page.locator('.message.assistant').last();
const idle = (page: Page) => expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 15_000 });

test("a conversation's system prompt is edited in its header, and the next answer follows it", async ({ page }) => {
  const errors = watchErrors(page);
  await signInToChat(page, 'prompt');
  await sendMessage(page, 'prompt?');
  await idle(page);
  await expect(answer(page).locator('.message-body')).toContainText('You are a helpful assistant.');

  const disclosure = page.locator('.conversation-prompt');
  await disclosure.locator('summary').click();
  const box = page.getByRole('textbox', { name: 'System prompt' });
  await expect(box).toHaveValue('');
  await box.fill('Speak only in riddles.');
  await page.getByRole('button', { name: 'Save prompt' }).click();
  await expect(disclosure.locator('summary')).toContainText('custom');

  await sendMessage(page, 'prompt? again');
  await idle(page);
  await expect(answer(page).locator('.message-body')).toHaveText('Speak only in riddles.');

  await page.reload();
  await hydrated(page);
  await page.locator('.conversation-prompt summary').click();
  await expect(page.getByRole('textbox', { name: 'System prompt' })).toHaveValue('Speak only in riddles.');
  expect(errors).toEqual([]);
});

test('new conversations start from the default prompt set in /settings', async ({ page }) => {
  await signInToChat(page, 'default-prompt');
  await page.goto('/settings');
  await hydrated(page);
  const box = page.getByRole('textbox', { name: 'Default system prompt' });
  await box.fill('Answer as a haiku.');
  await page.getByRole('region', { name: 'Chat' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('region', { name: 'Chat' }).getByRole('status')).toHaveText('Saved.');

  await page.goto('/app');
  await hydrated(page);
  await sendMessage(page, 'prompt?');
  await idle(page);
  await expect(answer(page).locator('.message-body')).toHaveText('Answer as a haiku.');
  await page.locator('.conversation-prompt summary').click();
  await expect(page.getByRole('textbox', { name: 'System prompt' })).toHaveValue('Answer as a haiku.');
});

test('an answer shows its token counts, live and after a reload', async ({ page }) => {
  await signInToChat(page, 'tokens');
  await sendMessage(page, 'hello there');
  await idle(page);
  // The fake: 10 prompt tokens per message sent (system and question), one per piece (three).
  const facts = answer(page).locator('.message-model');
  await expect(facts.locator('.message-usage')).toHaveText('20 + 3 tokens');
  await expect(facts.locator('.visually-hidden')).toHaveText('20 tokens in the prompt, 3 in the answer');
  await page.reload();
  await expect(answer(page).locator('.message-usage')).toHaveText('20 + 3 tokens');
});

const chatgptExport = JSON.stringify([
  {
    title: 'Phở at home',
    create_time: 1_700_000_000,
    update_time: 1_700_000_100,
    current_node: 'a1',
    mapping: {
      root: { id: 'root', parent: null, children: ['u1'], message: null },
      u1: {
        id: 'u1', parent: 'root', children: ['a1'],
        message: { author: { role: 'user' }, create_time: 1_700_000_010, content: { content_type: 'text', parts: ['How long does the broth take?'] } },
      },
      a1: {
        id: 'a1', parent: 'u1', children: [],
        message: { author: { role: 'assistant' }, create_time: 1_700_000_020, content: { content_type: 'text', parts: ['About six hours, on a low simmer.'] } },
      },
    },
  },
]);

test('a ChatGPT export is imported from the sidebar and opens; a bad file imports nothing', async ({ page }) => {
  await signInToChat(page, 'import');
  const menu = page.getByRole('button', { name: 'Conversations' });
  if (await menu.isVisible()) await menu.click();
  await page.locator('#import-file').setInputFiles({
    name: 'conversations.json', mimeType: 'application/json', buffer: Buffer.from(chatgptExport),
  });
  await expect(page.locator('.message.assistant .message-body')).toHaveText('About six hours, on a low simmer.');
  await expect(page.locator('.message.user .message-body')).toHaveText('How long does the broth take?');
  await expect(page.getByRole('complementary', { name: 'Conversations' }).getByText('Phở at home')).toBeVisible();
  await expect(page).toHaveURL(/\/app\?c=\d+/);

  if (await menu.isVisible()) await menu.click();
  await page.locator('#import-file').setInputFiles({
    name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"not": "an export"}'),
  });
  await expect(page.getByRole('alert')).toContainText('Nothing was imported.');
  await expect(page.getByRole('complementary', { name: 'Conversations' }).locator('li')).toHaveCount(1);
});
