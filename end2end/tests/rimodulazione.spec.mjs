// A rimodulazione of the demo's approved 2022 plan (now at version 2, delibera n. 85 of
// 15/07/2022): a new version with its delibera, the earlier ones readable, the changes shown.
import { test, expect, checkA11y, hydrated, login } from './fixtures.mjs';

test.setTimeout(120_000);

test("l'amministratore rimodula il piano: nasce la versione 3 e il confronto mostra le modifiche", async ({ page }) => {
  await login(page, 'segretario@esempio.demo');
  await page.goto('/e/comune-di-esempio/piani/2022');
  await hydrated(page);
  await page.getByLabel('Motivo della rimodulazione').fill('Nuova scadenza per la Customer Satisfaction');
  await page.getByRole('button', { name: 'Avvia la rimodulazione' }).click();
  await expect(page.locator('#rimodulazione-in-corso')).toContainText('Nuova scadenza per la Customer Satisfaction');
  await checkA11y(page);

  // The first objective gets a new description; saved like any draft.
  const primo = page.locator('section.struttura').first().locator('[data-riga]').first();
  const testo = primo.locator(':scope > .row .campo-descrizione');
  await testo.fill('Customer Satisfaction: indagine su tutti gli sportelli entro novembre');
  await primo.locator(':scope > .row .salva-riga').click();
  await expect(primo.locator(':scope > .row .stato-riga')).toHaveText('Salvato');

  // After 15 December the Giunta cannot change the year's PEG: refused, with the reason.
  await page.getByLabel('Delibera di Giunta n.').fill('120');
  await page.getByLabel('del', { exact: true }).fill('2022-12-20');
  await page.getByRole('button', { name: 'Approva il piano' }).click();
  await expect(page.locator('section .alert-danger').first()).toContainText('entro il 15/12/2022');
  await page.getByLabel('del', { exact: true }).fill('2022-11-30');
  await page.getByRole('button', { name: 'Approva il piano' }).click();
  await expect(page.locator('#stato-piano')).toContainText('Approvato con delibera di Giunta n. 120 del 30/11/2022');

  // The versions: three, each with its delibera; the changes of the last one.
  await page.getByRole('link', { name: 'Versioni e modifiche' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Versioni del Piano 2022');
  const versioni = page.locator('#versioni');
  await expect(versioni).toContainText('n. 45 del 30/03/2022');
  await expect(versioni).toContainText('n. 85 del 15/07/2022');
  await expect(versioni).toContainText('Nuova scadenza per la Customer Satisfaction');
  // The demo's proposal from the 30/06 checkpoint, which version 2 took up.
  await expect(page.locator('#proposte')).toContainText('Spostare la scadenza al 30/11/2022');
  await hydrated(page);
  await page.getByLabel('Dalla', { exact: true }).selectOption({ label: 'Versione 2 (delibera n. 85 del 15/07/2022)' });
  await page.getByLabel('Alla', { exact: true }).selectOption({ label: 'Versione 3 (delibera n. 120 del 30/11/2022)' });
  await page.getByRole('button', { name: 'Confronta' }).click();
  const diff = page.locator('#differenze');
  await expect(diff).toContainText('Descrizione');
  await expect(diff).toContainText('Customer Satisfaction: indagine su tutti gli sportelli entro novembre');
  await expect(page.locator('h3')).toHaveText('1 modifica');
  await checkA11y(page);

  // Version 1 stays as approved: its document, and its own PDF.
  await page.getByRole('link', { name: 'Vedi la versione 1' }).click();
  await expect(page.locator('#versione-mostrata')).toHaveText('Versione approvata con delibera n. 45 del 30/03/2022');
  await expect(page.locator('section.struttura').first().locator('.campo-descrizione').first()).not.toContainText('entro novembre');
  const risposta = await page.request.get('/e/comune-di-esempio/piani/2022/versioni/1/allegato.pdf');
  expect(risposta.status()).toBe(200);
  expect((await risposta.body()).subarray(0, 5).toString()).toBe('%PDF-');
});
