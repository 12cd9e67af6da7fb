// The consultancy firm's season from its cockpit: the consultant opens it from the header's
// menu, filters the late enti, makes the next year's plans of the firm's enti in one action,
// opens one new draft, downloads the cockpit as XLSX, moves a deadline of an ente and sees
// the reminder in the bell.
// Named to run last: the next year's plans it makes would change the demo the other files read.
import { readFileSync } from 'node:fs';
import { test, expect, checkA11y, hydrated, login } from './fixtures.mjs';

test.setTimeout(120_000);

test('il consulente governa gli enti dal cruscotto', async ({ page }) => {
  await login(page, 'consulente@studiodemo.it');
  await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Studio: Cruscotto' }).click();
  await expect(page).toHaveURL(/\/studio$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Cruscotto dello studio' })).toBeVisible();
  await expect(page.locator('#tabella-cruscotto')).toContainText('Comune di Esempio');
  await expect(page.locator('#tabella-cruscotto')).toContainText('Comune di Prova');
  await checkA11y(page);

  // Only the late ones of 2022 (other files made plans of later years): every row left is late.
  await page.getByLabel('Anno').selectOption('2022');
  await page.getByText('Solo in ritardo', { exact: true }).click();
  await page.getByRole('button', { name: 'Filtra' }).click();
  await expect(page).toHaveURL(/ritardo=1/);
  const righe = page.locator('#tabella-cruscotto tbody tr');
  await expect(righe.first()).toBeVisible();
  const n = await righe.count();
  for (let i = 0; i < n; i++) await expect(righe.nth(i)).toHaveAttribute('data-in-ritardo', 'true');
  await expect(page.locator('#tabella-cruscotto')).toContainText('Comune di Prova');

  // The next year for the firm's enti at once: made where the plan is approved, said why not
  // where it is not.
  await page.goto('/studio?anno=2022');
  await hydrated(page);
  await page.getByLabel('Scegli Comune di Esempio').check({ force: true });
  await page.getByLabel('Scegli Comune di Prova').check({ force: true });
  await page.getByRole('button', { name: 'Nuovo piano per il 2023 negli enti scelti' }).click();
  const esito = page.locator('#esito-rinnovo');
  await expect(esito).toContainText('Piano 2023 creato come bozza');
  // Comune di Prova: its 2022 is a draft, or another file already made its 2023.
  await expect(esito).toContainText(/Il piano 2022 non è approvato|Il piano 2023 c'era già: non è stato cambiato/);
  await esito.getByRole('link', { name: 'Apri il piano 2023 di Comune di Esempio' }).click();
  await expect(page).toHaveURL(/\/e\/comune-di-esempio\/piani\/2023$/);
  await expect(page.locator('#stato-piano')).toContainText('Bozza');
  await expect(page.locator('#ente-corrente')).toHaveText('Comune di Esempio');

  // The cockpit of 2023 as a spreadsheet.
  await page.goto('/studio?anno=2023');
  await hydrated(page);
  await expect(page.locator('#tabella-cruscotto')).toContainText('bozza');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#scarica-xlsx').click(),
  ]);
  expect(download.suggestedFilename()).toBe('cruscotto-2023.xlsx');
  const xlsx = readFileSync(await download.path());
  expect(xlsx.subarray(0, 2).toString()).toBe('PK');
  expect(xlsx.includes(Buffer.from('xl/worksheets/sheet1.xml'))).toBe(true);

  // A deadline moved to yesterday: past it, the reminder reaches the firm too.
  await page.goto('/e/comune-di-prova');
  await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Scadenze' }).click();
  await expect(page).toHaveURL(/\/e\/comune-di-prova\/scadenze$/);
  await page.goto('/e/comune-di-prova/scadenze?anno=2027');
  await hydrated(page);
  await checkA11y(page);
  const ieri = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Nuova data: Approvazione del PIAO').fill(ieri);
  await page.locator('#scadenze').getByRole('button', { name: 'Salva' }).click();
  await expect(page.getByText('Scadenza salvata.')).toBeVisible();
  await expect(page.locator('#scadenze')).toContainText('scaduta da');
  const campanella = page.locator('#promemoria-da-leggere');
  await expect(async () => {
    await page.reload();
    await expect(campanella).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await page.locator('#campanella').click();
  await expect(page).toHaveURL(/\/promemoria$/);
  await hydrated(page);
  await expect(page.locator('#elenco-promemoria')).toContainText('Scaduto: Approvazione del PIAO 2027');
  await checkA11y(page);
  await page.getByRole('button', { name: 'Segna tutti come letti' }).click();
  await expect(page.locator('#elenco-promemoria .badge.bg-primary')).toHaveCount(0);
  await page.reload();
  await expect(page.locator('#campanella')).toHaveAttribute('aria-label', 'Promemoria: nessuno da leggere');
});
