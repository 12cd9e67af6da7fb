// First visit of a page in Chromium on an ordinary office line: cold cache, network limited
// to 10 Mbit/s down, 5 up, 40 ms round trip. Prints the bytes received by resource type and
// the time until the page is hydrated and until the network is idle. A measurement, not a
// test: run it against a server started by scripts/run.sh.
//   node end2end/misura/prima-visita.mjs [BASE_URL] [EMAIL PATH]...
// With no pairs it measures the plan page (ente admin) and «I miei obiettivi» (dipendente).
import { chromium } from '@playwright/test';

const base = process.argv[2] || 'http://127.0.0.1:3000';
const pairs = process.argv.slice(3);
const pages = pairs.length >= 2
  ? Array.from({ length: pairs.length / 2 }, (_, i) => [pairs[2 * i], pairs[2 * i + 1]])
  : [
      ['segretario@esempio.demo', '/e/comune-di-esempio/piani/2022'],
      ['dipendente@esempio.demo', '/e/comune-di-esempio/miei-obiettivi'],
    ];
const PASSWORD = process.env.DEMO_PASSWORD || 'demo-obiettivi';
const LINE = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 5e6 / 8 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** Signs in once, in a context of its own, and returns its cookies: the visit starts cold. */
async function sessione(email) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  const state = await ctx.storageState();
  await ctx.close();
  return state;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const [email, path] of pages) {
  const ctx = await browser.newContext({ storageState: await sessione(email) });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', LINE);
  // Bytes on the wire (headers and encoded body) as Chromium counts them.
  const perTipo = new Map();
  const tipi = new Map();
  let ultimo = 0;
  let t0 = 0;
  const urls = new Map();
  cdp.on('Network.responseReceived', (e) => { tipi.set(e.requestId, e.type); urls.set(e.requestId, e.response.url); });
  cdp.on('Network.loadingFinished', (e) => {
    const t = (tipi.get(e.requestId) || 'Other').toLowerCase();
    const [n, b] = perTipo.get(t) || [0, 0];
    perTipo.set(t, [n + 1, b + e.encodedDataLength]);
    if (process.env.DETTAGLIO) console.log(`  ${Date.now() - t0} ms ${e.encodedDataLength} ${urls.get(e.requestId)}`);
    ultimo = Math.max(ultimo, Date.now());
  });
  t0 = Date.now();
  await page.goto(`${base}${path}`, { waitUntil: 'commit' });
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 60_000 });
  const idratata = Date.now() - t0;
  await page.waitForLoadState('networkidle');
  const idle = ultimo - t0;
  let totale = 0;
  console.log(`\n${path} (${email})`);
  for (const [t, [n, b]] of [...perTipo].sort((a, b) => b[1][1] - a[1][1])) {
    totale += b;
    console.log(`  ${t.padEnd(12)} ${String(n).padStart(3)} file  ${kib(b).padStart(12)}`);
  }
  console.log(`  ${'totale'.padEnd(12)}           ${kib(totale).padStart(12)}`);
  console.log(`  idratata dopo ${idratata} ms; rete ferma dopo ${idle} ms`);
  await ctx.close();
}
await browser.close();
