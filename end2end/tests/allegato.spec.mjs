import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, checkA11y, creaP12, hydrated, login } from './fixtures.mjs';

test.setTimeout(120_000);

// Signed "with one's own device": a CAdES envelope made by openssl with a certificate of
// someone else, as a signing card's software would.
function firmaAltrove(pdf) {
  const d = mkdtempSync(join(tmpdir(), 'firma-'));
  const p = (n) => join(d, n);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('k.pem'), '-out', p('c.pem'),
    '-days', '30', '-subj', '/CN=Maria Sindaca'], { stdio: 'pipe' });
  writeFileSync(p('a.pdf'), pdf);
  execFileSync('openssl', ['cms', '-sign', '-binary', '-nodetach', '-cades', '-md', 'sha256', '-outform', 'DER',
    '-in', p('a.pdf'), '-signer', p('c.pem'), '-inkey', p('k.pem'), '-out', p('a.pdf.p7m')], { stdio: 'pipe' });
  return readFileSync(p('a.pdf.p7m'));
}

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

  // The final PDF was made at approval: the same bytes at every download.
  expect((await risposta.body()).equals(readFileSync(await pdf.path()))).toBe(true);

  // Signed here with the demo certificate: a button (a POST), the copy goes to the archive.
  await sezione.getByRole('button', { name: 'Firma ora (PDF firmato, PAdES)' }).click();
  await expect(page.locator('#esito-firma .alert-success')).toContainText('«piano-obiettivi-comune-di-esempio-2022-firmato.pdf» è nell\'archivio');
  await expect(page.locator('#archivio-firmati')).toContainText('piano-obiettivi-comune-di-esempio-2022-firmato.pdf');
  await expect(page.locator('#archivio-firmati')).toContainText('Sergio Segretario');
  await expect(page.locator('#archivio-firmati')).toContainText('PAdES (PDF)');
  const [firmato] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#archivio-firmati a', { hasText: 'firmato.pdf' }).first().click(),
  ]);
  const percorso = await firmato.path();
  expect(readFileSync(percorso).subarray(0, 5).toString()).toBe('%PDF-');
  // Uploading it again: it is there already.
  await page.setInputFiles('#file-firmato', { name: 'di-nuovo.pdf', mimeType: 'application/pdf', buffer: readFileSync(percorso) });
  await sezione.getByRole('button', { name: 'Controlla e archivia' }).click();
  await expect(page.locator('#esito-firmato .alert-danger')).toContainText("Questa copia firmata è già nell'archivio");

  // Signed elsewhere (a .p7m), uploaded: verified and archived.
  await page.setInputFiles('#file-firmato', { name: 'piano-firmato-sindaca.pdf.p7m', mimeType: 'application/pkcs7-mime', buffer: firmaAltrove(readFileSync(await pdf.path())) });
  await sezione.getByRole('button', { name: 'Controlla e archivia' }).click();
  await expect(page.locator('#esito-firmato .alert-success')).toContainText('la firma di Maria Sindaca è integra');
  await expect(page.locator('#esito-firmato .alert-success')).toContainText('non è stato verificato con un elenco di fiducia');
  await expect(page.locator('#archivio-firmati')).toContainText('piano-firmato-sindaca.pdf.p7m');
  await expect(page.locator('#archivio-firmati')).toContainText('CAdES (.p7m)');
  await expect(page.locator('#nota-firmati')).toContainText('Certificato del firmatario non verificato con un elenco di fiducia');

  // A PDF that is not signed is refused, with the reason.
  await page.setInputFiles('#file-firmato', { name: 'non-firmato.pdf', mimeType: 'application/pdf', buffer: readFileSync(await pdf.path()) });
  await sezione.getByRole('button', { name: 'Controlla e archivia' }).click();
  await expect(page.locator('#esito-firmato .alert-danger')).toContainText('Il PDF non contiene firme digitali');
  await checkA11y(page);

  // The archived copy downloads as it was.
  const [copia] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#archivio-firmati a', { hasText: 'firmato.pdf' }).first().click(),
  ]);
  expect(readFileSync(await copia.path()).equals(readFileSync(percorso))).toBe(true);
});


test("il certificato dell'ente si carica da un file .p12 e firma; un file troppo grande è rifiutato prima dell'invio", async ({ page }) => {
  await login(page, 'segretario@esempio.demo');
  await page.goto('/e/comune-di-esempio/piani/2022');
  await hydrated(page);
  const sezione = page.locator('#allegato');

  // Over 10 MB: said at once, nothing sent.
  let inviati = 0;
  page.on('request', (r) => { if (r.url().includes('/api/carica/')) inviati += 1; });
  await page.setInputFiles('#file-firmato', { name: 'enorme.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 32) });
  await sezione.getByRole('button', { name: 'Controlla e archivia' }).click();
  await expect(page.locator('#esito-firmato .alert-danger')).toHaveText('Il file è troppo grande: al massimo 10 MB.');
  expect(inviati).toBe(0);

  // The certificate: a wrong password is said; the right one replaces the demo's.
  const certificato = sezione.locator('#certificato-firma');
  await certificato.locator('summary').click();
  const p12 = creaP12('Maria Sindaca', 'segreta-123');
  await page.setInputFiles('#file-p12', { name: 'sindaca.p12', mimeType: 'application/x-pkcs12', buffer: p12 });
  await page.fill('#password-p12', 'sbagliata');
  await certificato.getByRole('button', { name: 'Salva il certificato' }).click();
  await expect(certificato.locator('.alert-danger')).toContainText('Impossibile aprire il file PKCS#12');
  expect(inviati).toBe(1);
  await page.fill('#password-p12', 'segreta-123');
  await page.fill('#firmatario', '');
  await page.fill('#ruolo-firmatario', 'Sindaca');
  await certificato.getByRole('button', { name: 'Salva il certificato' }).click();
  await expect(certificato.locator('summary')).toContainText('Maria Sindaca (Sindaca)');
  await checkA11y(page);

  // Signed now with it, as a .p7m envelope.
  await sezione.getByRole('button', { name: 'Firma ora (busta .p7m, CAdES)' }).click();
  await expect(page.locator('#esito-firma .alert-success')).toContainText('Allegato firmato con il certificato di Maria Sindaca');
  await expect(page.locator('#archivio-firmati')).toContainText('piano-obiettivi-comune-di-esempio-2022.pdf.p7m');
  await expect(page.locator('#archivio-firmati')).toContainText('CAdES (.p7m)');
});

test("la bozza si scarica con la dicitura BOZZA e senza firma", async ({ page }) => {
  await login(page, 'admin@prova.demo');
  await page.goto('/e/comune-di-prova/piani/2022');
  await hydrated(page);
  const sezione = page.locator('#allegato');
  await expect(sezione.getByRole('link', { name: 'Scarica il PDF (bozza)' })).toBeVisible();
  await expect(sezione.getByRole('button', { name: /Firma ora/ })).toHaveCount(0);
  const risposta = await page.request.get('/e/comune-di-prova/piani/2022/allegato.pdf');
  expect(risposta.status()).toBe(200);
  expect((await risposta.body()).subarray(0, 5).toString()).toBe('%PDF-');
  expect(risposta.headers()['content-disposition']).toContain('bozza');
});
