// Time to interactive in Chromium with a slow phone's CPU and link: 4× CPU
// throttling, 1.6 Mbps down, 750 kbps up, 150 ms round trip (CDP), cache
// empty. For each page: when its HTML was first painted (FCP), when the
// WASM had hydrated its islands (the shell's data-hydrated, seen by a
// MutationObserver installed before any page script; for a page without
// islands, which loads no script, when its HTML was parsed and painted),
// and the script bytes transferred. Median of RUNS (default 3). Run by benches/tti.sh.
// Usage: node benches/tti.mjs BASE_URL COOKIE PATH...   (COOKIE '' for none)
import { createRequire } from 'node:module';

const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('@playwright/test');

const [base, cookie, ...paths] = process.argv.slice(2);
const runs = Number(process.env.RUNS ?? 3);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
});
const [name, value] = cookie.split('=');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const path of paths) {
  const fcp = [], tti = [], bytes = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    if (cookie) await context.addCookies([{ name, value, url: base }]);
    const page = await context.newPage();
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        const shell = document.querySelector('.shell[data-hydrated="true"]');
        if (shell) {
          window.__hydratedAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: 1.6e6 / 8,
      uploadThroughput: 750e3 / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const types = new Map();
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.response.url));
    const sizes = new Map();
    cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
    await page.goto(base + path);
    // A page without islands loads no script: it is interactive once its
    // HTML is parsed and painted (its forms post without a script).
    const scripted = await page.evaluate(() => document.querySelector('script[type="module"]') !== null);
    if (!scripted) {
      await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
      await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const paint = performance.getEntriesByName('first-contentful-paint')[0].startTime;
        window.__hydratedAt = Math.max(nav.domContentLoadedEventEnd, paint);
      });
    }
    await page.waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: 60_000 });
    const [paint, hydrated] = await page.evaluate(() => [
      performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      window.__hydratedAt,
    ]);
    let script = 0;
    for (const [id, url] of types) {
      if (/\.(wasm|js)(\?|$)/.test(url)) script += sizes.get(id) ?? 0;
    }
    fcp.push(paint);
    tti.push(hydrated);
    bytes.push(script);
    await context.close();
  }
  console.log(
    `row|${path}|${median(fcp).toFixed(0)}|${median(tti).toFixed(0)}|${(median(bytes) / 1024).toFixed(1)}`,
  );
}
await browser.close();
