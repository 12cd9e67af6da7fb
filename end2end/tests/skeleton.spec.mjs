import { test, expect, checkA11y, hydrated } from './fixtures.mjs';

test('la pagina è resa dal server, prima di ogni script', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('h1')).toHaveText('Benvenuto in Obiettivi');
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(0);
  await context.close();
});

test("l'idratazione rende viva la pagina", async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await checkA11y(page);
  const toggle = page.getByRole('button', { name: 'Mostra dettagli' });
  await expect(page.locator('#info-piano')).toBeHidden();
  await toggle.click();
  await expect(page.locator('#info-piano')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Nascondi dettagli' })).toHaveAttribute('aria-expanded', 'true');
  await checkA11y(page);
});

test('gli stili e il font sono serviti dall\'app', async ({ page, request }) => {
  const css = await request.get('/vendor/bootstrap-italia/css/bootstrap-italia.min.css');
  expect(css.status()).toBe(200);
  const font = await request.get('/vendor/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2');
  expect(font.status()).toBe(200);
  await page.goto('/');
  const family = await page.locator('body').evaluate((b) => getComputedStyle(b).fontFamily);
  expect(family).toContain('Titillium Web');
});

test('/health risponde 200', async ({ request }) => {
  const r = await request.get('/health');
  expect(r.status()).toBe(200);
  expect(await r.json()).toEqual({ status: 'ok', database: 'ok' });
});
