import AxeBuilder from '@axe-core/playwright';
import { validate, compileErrors } from '@readme/openapi-parser';
import { test, expect, type Page } from '@playwright/test';
import { watchErrors } from './helpers';

// GET /api/openapi.json is a valid OpenAPI 3.1 document (checked by a real
// validator, which is shown to refuse broken ones), and GET /api/docs shows
// it with the viewer served by Palaver itself, under the site's CSP.

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

type Doc = Record<string, any>;

async function fetchDocument(request: import('@playwright/test').APIRequestContext): Promise<Doc> {
  const res = await request.get('/api/openapi.json');
  expect(res.status()).toBe(200);
  return res.json();
}

/** The validator's verdict on a copy of `doc` (it dereferences in place). */
async function verdict(doc: Doc) {
  return validate(structuredClone(doc));
}

test('the document is valid OpenAPI 3.1', async ({ request }) => {
  const doc = await fetchDocument(request);
  expect(doc.openapi).toBe('3.1.0');
  const result = await verdict(doc);
  expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  expect(result.warnings).toEqual([]);
});

test('the validator refuses a broken document', async ({ request }) => {
  const doc = await fetchDocument(request);
  const broken: Array<[string, (d: Doc) => void]> = [
    ['an answer without its description', (d) => delete d.paths['/auth/login'].post.responses['200'].description],
    ['a reference to a schema that does not exist', (d) => {
      d.paths['/auth/me'].get.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Nobody' };
    }],
    ['a security scheme of an unknown type', (d) => { d.components.securitySchemes.session.type = 'cookie'; }],
    ['a path that does not start with /', (d) => { d.paths['auth/nowhere'] = d.paths['/auth/me']; }],
    ['two operations with one id', (d) => {
      d.paths['/auth/me'].get.operationId = 'same';
      d.paths['/auth/login'].post.operationId = 'same';
    }],
  ];
  for (const [what, breakIt] of broken) {
    const copy = structuredClone(doc);
    breakIt(copy);
    const result = await verdict(copy).catch((e: Error) => ({ valid: false, errors: [e] }));
    expect(result.valid, `the validator accepted ${what}`).toBe(false);
  }
});

/** Records every CSP violation the page reports, from its first script on. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    (window as any).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as any).__csp.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'}`);
    });
  });
  return () => page.evaluate(() => (window as any).__csp as string[]);
}

test('/api/docs shows the document with our own viewer and no CSP violation', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const violations = await watchCsp(page);
  const outside: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(`${baseURL}/`) && !req.url().startsWith('data:')) outside.push(req.url());
  });
  const res = await page.goto('/api/docs');
  expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(res!.headers()['content-security-policy']).not.toContain('unsafe-inline');
  await expect(page).toHaveTitle('Palaver API reference');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // Rendered by the viewer from the document: its title and a call.
  await expect(page.locator('.swagger-ui .info .title')).toContainText('Palaver API');
  await expect(page.locator('.opblock-summary-path', { hasText: /^\/auth\/login$/ })).toBeVisible();
  await page.locator('.opblock-summary-path', { hasText: /^\/auth\/login$/ }).click();
  await expect(page.locator('.opblock.is-open')).toContainText('identifier');
  expect(await violations()).toEqual([]);
  expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  expect(errors).toEqual([]);
  expect(outside, 'requests to other origins').toEqual([]);
});

const sizes = [
  { size: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
  { size: 'phone', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
];

for (const { size, use } of sizes) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`${size}, ${colorScheme}`, () => {
      test.use({ ...use, colorScheme, reducedMotion: 'reduce' });
      test('/api/docs passes axe, with a call opened', async ({ page }, testInfo) => {
        // Two axe runs over a page of some thousand nodes: about 25 s on a
        // loaded two-core machine, close to the usual 30 s.
        test.setTimeout(90_000);
        await page.goto('/api/docs');
        await expect(page.locator('.opblock-summary-path', { hasText: /^\/auth\/login$/ })).toBeVisible();
        for (const where of ['as loaded', 'with /auth/login open']) {
          if (where !== 'as loaded') {
            await page.locator('.opblock-summary-path', { hasText: /^\/auth\/login$/ }).click();
            await expect(page.locator('.opblock.is-open')).toBeVisible();
          }
          const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
          const lines = violations.flatMap((v) =>
            v.nodes.map((n) => {
              const why = (n.failureSummary ?? '').split('\n').slice(1).join(' ').trim();
              return `${v.id} [${v.impact}] ${v.help}: ${n.target.join(' ')}${why ? ` (${why})` : ''}`;
            }),
          );
          if (violations.length > 0) {
            await testInfo.attach(`axe /api/docs ${where}`, { body: JSON.stringify(violations, null, 2), contentType: 'application/json' });
          }
          expect(lines, `axe on /api/docs ${where}:\n  ${lines.join('\n  ')}\n`).toEqual([]);
        }
      });
    });
  }
}
