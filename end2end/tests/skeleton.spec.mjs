import { test, expect, checkA11y, hydrated, login } from './fixtures.mjs';

test('la pagina è resa dal server, prima di ogni script', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.locator('h1')).toHaveText('Accedi');
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(0);
  // Signing in works without JavaScript: a plain form post.
  await page.fill('#email', 'segretario@esempio.demo');
  await page.fill('#password', 'demo-obiettivi');
  await page.click('button[type=submit]');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('h1')).toContainText('Benvenuto, Sergio Segretario');
  await context.close();
});

test("l'idratazione rende viva la pagina", async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await checkA11y(page);
  const password = page.locator('#password');
  await password.fill('segreta');
  await expect(password).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Mostra' }).click();
  await expect(password).toHaveAttribute('type', 'text');
  await expect(page.getByRole('button', { name: 'Nascondi' })).toHaveAttribute('aria-pressed', 'true');
  await checkA11y(page);
});

test("gli stili e il font sono serviti dall'app", async ({ page, request }) => {
  const css = await request.get('/vendor/bootstrap-italia/css/bootstrap-italia.min.css');
  expect(css.status()).toBe(200);
  const font = await request.get('/vendor/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2');
  expect(font.status()).toBe(200);
  await page.goto('/login');
  const family = await page.locator('body').evaluate((b) => getComputedStyle(b).fontFamily);
  expect(family).toContain('Titillium Web');
});

test('/health risponde 200', async ({ request }) => {
  const r = await request.get('/health');
  expect(r.status()).toBe(200);
  expect(await r.json()).toEqual({ status: 'ok', database: 'ok' });
});

test('ogni pagina del piano nomina, nella sua testata, i pezzi di wasm che la idratano', async ({ page }) => {
  // The plan page's code travels in wasm chunks of its own: the server names them in the
  // head so that the browser fetches them beside the main bundle, not after it. Each page
  // must name its own, whichever of the server's threads rendered it and however many
  // pages it rendered at once (none, or another page's, were a slower first visit).
  await login(page, 'segretario@esempio.demo');
  await expect(page.locator('h1')).toContainText('Benvenuto');
  const pezzi = (html) =>
    [...html.matchAll(/<link[^>]*href="\/pkg\/(chunk_\d+)[^"]*"[^>]*>/g)].map((m) => m[1]).sort().join(' ');
  const attesi = pezzi(await (await page.request.get('/e/comune-di-esempio/piani/2022')).text());
  expect(attesi).not.toBe('');
  for (let giro = 0; giro < 5; giro++) {
    const risposte = await Promise.all(
      Array.from({ length: 8 }, () => page.request.get('/e/comune-di-esempio/piani/2022')),
    );
    for (const r of risposte) {
      expect(r.status()).toBe(200);
      expect(pezzi(await r.text())).toBe(attesi);
    }
  }
  // And the browser hydrates the page with them.
  await page.goto('/e/comune-di-esempio/piani/2022');
  await hydrated(page);
});
