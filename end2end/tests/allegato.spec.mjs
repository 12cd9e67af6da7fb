import { readFileSync } from 'node:fs';
import { test, expect, checkA11y, hydrated, login } from './fixtures.mjs';

test.setTimeout(120_000);

test("l'allegato del piano approvato si scarica in PDF, firmato, e una copia firmata torna nell'archivio", async ({ page }) => {
  await login(page, 'segretario@esempio.demo');
  await page.goto('/e/comune-di-esempio/piani/2022');
  await hydrated(page);
  const sezione = page.locator('#allegato');
  await expect(sezione.getByRole('heading', { name: 'Allegato PDF e firma digitale' })).toBeVisible();
  await expect(sezione.locator('#certificato-firma summary')).toContainText('Sergio Segretario');
  await expect(sezione.locator('#nessun-firmato')).toBeVisible();
  await checkA11y(page);

  // The final PDF: a real PDF, served as one.
  const [pdf] = await Promise.all([
    page.waitForEvent('download'),
    sezione.getByRole('link', { name: 'Scarica il PDF' }).click(),
  ]);
  expect(pdf.suggestedFilename()).toBe('piano-obiettivi-comune-di-esempio-2022.pdf');
  expect(readFileSync(await pdf.path()).subarray(0, 5).toString()).toBe('%PDF-');
  const risposta = await page.request.get('/e/comune-di-esempio/piani/2022/allegato.pdf');
  expect(risposta.status()).toBe(200);
  expect(risposta.headers()['content-type']).toBe('application/pdf');

  // Signed here (PAdES with the demo certificate), then uploaded back as the signed copy.
  const [firmato] = await Promise.all([
    page.waitForEvent('download'),
    sezione.getByRole('link', { name: 'Scarica firmato (PAdES)' }).click(),
  ]);
  const percorso = await firmato.path();
  expect(readFileSync(percorso).subarray(0, 5).toString()).toBe('%PDF-');
  await page.setInputFiles('#file-firmato', { name: 'piano-firmato.pdf', mimeType: 'application/pdf', buffer: readFileSync(percorso) });
  await sezione.getByRole('button', { name: 'Controlla e archivia' }).click();
  await expect(page.locator('#archivio-firmati')).toContainText('piano-firmato.pdf');
  await expect(page.locator('#archivio-firmati')).toContainText('Sergio Segretario');
  await expect(page.locator('#archivio-firmati')).toContainText('PAdES (PDF)');
  await expect(page.locator('#esito-firmato .alert-success')).toContainText('la firma di Sergio Segretario è integra');
  await expect(page.locator('#esito-firmato .alert-success')).toContainText('non è stato verificato con un elenco di fiducia');
  await expect(page.locator('#nota-firmati')).toContainText('Certificato del firmatario non verificato con un elenco di fiducia');

  // A PDF that is not signed is refused, with the reason.
  await page.setInputFiles('#file-firmato', { name: 'non-firmato.pdf', mimeType: 'application/pdf', buffer: readFileSync(await pdf.path()) });
  await sezione.getByRole('button', { name: 'Controlla e archivia' }).click();
  await expect(page.locator('#esito-firmato .alert-danger')).toContainText('Il PDF non contiene firme digitali');
  await checkA11y(page);

  // The archived copy downloads as it was.
  const [copia] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#archivio-firmati a').first().click(),
  ]);
  expect(readFileSync(await copia.path()).equals(readFileSync(percorso))).toBe(true);
});

test("la bozza si scarica con la dicitura BOZZA e senza firma", async ({ page }) => {
  await login(page, 'admin@prova.demo');
  await page.goto('/e/comune-di-prova/piani/2022');
  await hydrated(page);
  const sezione = page.locator('#allegato');
  await expect(sezione.getByRole('link', { name: 'Scarica il PDF (bozza)' })).toBeVisible();
  await expect(sezione.getByRole('link', { name: 'Scarica firmato (PAdES)' })).toHaveCount(0);
  const risposta = await page.request.get('/e/comune-di-prova/piani/2022/allegato.pdf');
  expect(risposta.status()).toBe(200);
  expect((await risposta.body()).subarray(0, 5).toString()).toBe('%PDF-');
  expect(risposta.headers()['content-disposition']).toContain('bozza');
});
