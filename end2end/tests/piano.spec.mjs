import { readFileSync } from 'node:fs';
import { test, expect, checkA11y, hydrated, login } from './fixtures.mjs';

test.setTimeout(180_000);

test('piano dal modello: pesi in tempo reale, approvazione rifiutata, poi approvata e in sola lettura', async ({ page }) => {
  await login(page, 'consulente@studiodemo.it');
  await page.goto('/e/comune-di-prova/piani');
  await hydrated(page);
  await checkA11y(page);
  await page.getByLabel('Annualità').fill('2023');
  await page.getByLabel(/Dal modello di riferimento/).check();
  await page.getByRole('button', { name: 'Crea il piano' }).click();
  await expect(page).toHaveURL(/\/e\/comune-di-prova\/piani\/2023$/);
  await hydrated(page);
  await expect(page.locator('section.struttura')).toHaveCount(5);
  await expect(page.locator('section.struttura h2').first()).toContainText('SEGRETERIA');
  await checkA11y(page);

  // A weight changed: the struttura's total and the rule update as the user types.
  const segreteria = page.locator('section.struttura').first();
  const primo = segreteria.locator('[data-riga]').first();
  await primo.locator(':scope > .row .campo-peso').fill('10');
  await expect(segreteria.locator('.totale-pesi')).toHaveText('Totale pesi: 90% — mancano 10%');
  await expect(segreteria.locator('.violazione').first()).toContainText('I pesi degli obiettivi sommano a 90%');
  await expect(primo.locator(':scope > .row .stato-riga')).toHaveText('Modifiche non salvate');
  await primo.locator(':scope > .row .salva-riga').click();
  await expect(primo.locator(':scope > .row .stato-riga')).toHaveText('Salvato');

  // Approval refused, with the reason.
  await page.getByLabel('Delibera di Giunta n.').fill('12');
  await page.getByLabel('del', { exact: true }).fill('2023-03-30');
  await page.getByRole('button', { name: 'Approva il piano' }).click();
  await expect(page.locator('#approva-piano + div .alert-danger, section .alert-danger').first()).toContainText('Il piano non può essere approvato');

  // Fixed: the weight back to 20%, every objective and phase the model left to write.
  await primo.locator(':scope > .row .campo-peso').fill('20');
  await expect(segreteria.locator('.totale-pesi')).toHaveText('Totale pesi: 100%');
  await primo.locator(':scope > .row .salva-riga').click();
  await expect(primo.locator(':scope > .row .stato-riga')).toHaveText('Salvato');
  const righe = page.locator('[data-riga]');
  const n = await righe.count();
  let scritte = 0;
  for (let i = 0; i < n; i++) {
    const riga = righe.nth(i);
    const testo = riga.locator(':scope > .row .campo-descrizione');
    const valore = await testo.inputValue();
    if (valore.trim() === '' || valore.startsWith('Obiettivo di sviluppo specifico')) {
      await testo.fill(`Obiettivo scritto dall'ente n. ${i}`);
      await riga.locator(':scope > .row .salva-riga').click();
      await expect(riga.locator(':scope > .row .stato-riga')).toHaveText('Salvato');
      scritte++;
    }
  }
  expect(scritte).toBe(24);
  await expect(page.locator('#riepilogo-regole')).toHaveText('Il piano rispetta tutte le regole: può essere approvato.');
  await page.getByRole('button', { name: 'Approva il piano' }).click();
  await expect(page.locator('#stato-piano')).toContainText('Approvato con delibera di Giunta n. 12 del 30/03/2023');

  // Read-only: shown as the document, no fields, no save buttons.
  await expect(page.getByText('Piano approvato: sola lettura')).toBeVisible();
  await expect(page.locator('section.struttura').first().locator('input, textarea, select')).toHaveCount(0);
  await expect(page.locator('section.struttura').first().locator('td.campo-peso').first()).toHaveText('20%');
  await expect(page.locator('.salva-riga')).toHaveCount(0);
  await checkA11y(page);

  // Approved: the attachment exports as the final PDF.
  const [pdf] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#allegato').getByRole('link', { name: 'Scarica il PDF' }).click(),
  ]);
  expect(pdf.suggestedFilename()).toBe('piano-obiettivi-comune-di-prova-2023.pdf');
  expect(readFileSync(await pdf.path()).subarray(0, 5).toString()).toBe('%PDF-');

  // Reopened as a draft by an explicit act.
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Riapri come bozza' }).click();
  await expect(page.locator('#stato-piano')).toHaveText('Bozza');
});

test('la responsabile modifica solo la sua struttura; il piano approvato della demo è in sola lettura', async ({ page }) => {
  await login(page, 'responsabile@esempio.demo');
  await page.goto('/e/comune-di-esempio/piani/2022');
  await hydrated(page);
  await expect(page.locator('#stato-piano')).toContainText('Approvato con delibera di Giunta n. 85 del 15/07/2022');
  await expect(page.locator('.salva-riga')).toHaveCount(0);
  await expect(page.locator('section.struttura').nth(1).locator('h2')).toContainText('Rita Responsabile');
  // The document came rendered from the server and hydration kept it whole.
  await expect(page.locator('.documento-piano section.struttura')).toHaveCount(5);
  await expect(page.locator('.documento-piano tr.obiettivo').first()).toContainText('Customer Satisfaction');
});

test('il consulente salva un obiettivo del piano approvato come modello dello studio', async ({ page }) => {
  await login(page, 'consulente@studiodemo.it');
  await page.goto('/e/comune-di-esempio/piani/2022');
  await hydrated(page);
  // The approved plan is a document: no fields, one button per objective.
  await expect(page.locator('section.struttura textarea')).toHaveCount(0);
  await checkA11y(page);
  const primo = page.locator('section.struttura').first().locator('tr.obiettivo').first();
  await expect(primo.locator('.campo-descrizione')).toContainText('Customer Satisfaction');
  await primo.getByRole('button', { name: 'Salva come modello dello studio' }).click();
  await primo.getByRole('link', { name: 'aprilo per completarlo' }).click();
  await expect(page).toHaveURL(/\/libreria\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Customer Satisfaction');
  await expect(page.getByRole('table', { name: 'Fasi' }).locator('tbody tr')).toHaveCount(2);
});

test('un piano senza JavaScript si legge per intero', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await login(page, 'nucleo@esempio.demo');
  await page.goto('/e/comune-di-esempio/piani/2022');
  await expect(page.locator('section.struttura')).toHaveCount(5);
  await expect(page.locator('.totale-pesi').first()).toHaveText('Totale pesi: 100%');
  await expect(page.locator('.campo-descrizione').nth(0)).toContainText('Customer Satisfaction');
  await expect(page.locator('section.struttura').first().getByRole('table')).toContainText('Valori attesi');
  await context.close();
});

test('due persone sullo stesso obiettivo: la seconda riceve un conflitto e non perde nulla', async ({ page, browser }) => {
  await login(page, 'segretario@esempio.demo');
  await page.goto('/e/comune-di-prova/piani/2022');
  await hydrated(page);
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await login(p2, 'admin@prova.demo');
  await p2.goto('/e/comune-di-prova/piani/2022');
  await hydrated(p2);

  const riga = (p) => p.locator('section.struttura').nth(2).locator('[data-riga]').first();
  await riga(p2).locator(':scope > .row .campo-descrizione').fill('Testo di Paola');
  await riga(p2).locator(':scope > .row .salva-riga').click();
  await expect(riga(p2).locator(':scope > .row .stato-riga')).toHaveText('Salvato');

  await riga(page).locator(':scope > .row .campo-descrizione').fill('Testo di Sergio');
  // Unsaved work is protected from a reload of the plan.
  await page.getByRole('button', { name: 'Aggiungi una struttura' }).click();
  await expect(page.getByText('Ci sono modifiche non salvate (1): salvale prima di continuare.')).toBeVisible();
  await riga(page).locator(':scope > .row .salva-riga').click();
  const alert = riga(page).locator(':scope > .row .alert-warning');
  await expect(alert).toContainText('Un\'altra persona ha modificato');
  await expect(alert).toContainText('«Testo di Paola»');
  await expect(riga(page).locator(':scope > .row .campo-descrizione')).toHaveValue('Testo di Sergio');
  await checkA11y(page);
  await riga(page).getByRole('button', { name: 'Tieni le mie modifiche' }).click();
  await expect(riga(page).locator(':scope > .row .stato-riga')).toHaveText('Modifiche non salvate');
  await riga(page).locator(':scope > .row .salva-riga').click();
  await expect(riga(page).locator(':scope > .row .stato-riga')).toHaveText('Salvato');
  await p2.reload();
  await expect(riga(p2).locator(':scope > .row .campo-descrizione')).toHaveValue('Testo di Sergio');
  await other.close();
});

test("sezioni del documento e intestazione della struttura si salvano", async ({ page }) => {
  await login(page, 'admin@prova.demo');
  await page.goto('/e/comune-di-prova/piani/2022');
  await hydrated(page);
  await page.locator('#sezioni-narrative summary').click();
  await page.getByLabel(/Regolamento per la misurazione/).fill('delibera di Giunta n. 3 del 10/01/2020');
  await page.getByRole('button', { name: 'Salva le sezioni' }).click();
  await expect(page.locator('#sezioni-narrative .stato-riga')).toHaveText('Salvato');

  const polizia = page.locator('section.struttura').nth(4);
  await polizia.getByLabel('Nome del responsabile').fill('Comandante Bianchi');
  await expect(polizia.locator('h2')).toContainText('Comandante Bianchi');
  await polizia.locator('summary').filter({ hasText: 'Missione' }).click();
  // Bootstrap Italia draws the box on the label: a person clicks the label.
  await polizia.locator('label', { hasText: '11 Soccorso civile' }).click();
  await expect(polizia.getByLabel('11 Soccorso civile')).toBeChecked();
  await polizia.getByRole('button', { name: 'Salva intestazione' }).click();
  await expect(polizia.locator('.stato-riga').first()).toHaveText('Salvato');
  await checkA11y(page);

  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel(/Regolamento per la misurazione/)).toHaveValue('delibera di Giunta n. 3 del 10/01/2020');
  const dopo = page.locator('section.struttura').nth(4);
  await expect(dopo.getByLabel('Nome del responsabile')).toHaveValue('Comandante Bianchi');
  await expect(dopo.locator('summary').filter({ hasText: 'Missione' })).toHaveText('Missione: 03 Ordine pubblico e sicurezza; 11 Soccorso civile');
});

test('le strutture si riordinano e l’ordine resta dopo il ricaricamento', async ({ page }) => {
  await login(page, 'consulente@studiodemo.it');
  await page.goto('/e/comune-di-prova/piani');
  await hydrated(page);
  await page.getByLabel('Annualità').fill('2027');
  await page.getByLabel(/Dal modello di riferimento/).check();
  await page.getByRole('button', { name: 'Crea il piano' }).click();
  await expect(page).toHaveURL(/\/e\/comune-di-prova\/piani\/2027$/);
  await hydrated(page);
  const titoli = page.locator('section.struttura h2');
  await expect(titoli.nth(0)).toContainText('SEGRETERIA');
  await page.getByRole('button', { name: /^Sposta su la struttura POLIZIA LOCALE/ }).click();
  await expect(titoli.nth(3)).toContainText('POLIZIA LOCALE');
  await expect(titoli.nth(4)).toContainText('AREA TECNICA');
  await page.getByRole('button', { name: /^Sposta giù la struttura SEGRETERIA/ }).click();
  await expect(titoli.nth(0)).toContainText('AREA AMMINISTRATIVA');
  await expect(titoli.nth(1)).toContainText('SEGRETERIA');
  await page.reload();
  await hydrated(page);
  await expect(titoli.nth(0)).toContainText('AREA AMMINISTRATIVA');
  await expect(titoli.nth(1)).toContainText('SEGRETERIA');
  await expect(titoli.nth(3)).toContainText('POLIZIA LOCALE');
  await checkA11y(page);
});
