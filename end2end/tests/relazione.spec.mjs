// The Relazione sulla Performance of the demo's 2022 year, as its people finish it: the
// segretario completes its chapters and records the Giunta's adoption; the Nucleo examines
// the sample on its evidence, records the checks and the outcome and signs the validation;
// the ente's admin downloads the bundle for Amministrazione Trasparente.
import { execFileSync } from 'node:child_process';
import { test, expect, checkA11y, creaP12, hydrated, login } from './fixtures.mjs';

test.setTimeout(180_000);

const RELAZIONE = '/e/comune-di-esempio/piani/2022/relazione';

test("il segretario completa i capitoli e la Giunta adotta la Relazione", async ({ page }) => {
  await login(page, 'segretario@esempio.demo');
  await page.goto('/e/comune-di-esempio/piani/2022');
  await page.getByRole('link', { name: 'Relazione sulla Performance' }).click();
  await expect(page).toHaveURL(RELAZIONE);
  await expect(page.locator('#stato-relazione')).toHaveText('Bozza');
  await hydrated(page);
  await checkA11y(page);
  const contesto = page.getByLabel('1. Il contesto');
  await expect(contesto).toHaveValue(/12.400 abitanti/);
  await contesto.fill((await contesto.inputValue()) + '\n\nNel 2022 è stato aperto lo sportello unico per le imprese.');
  await page.getByRole('button', { name: 'Salva i capitoli' }).click();
  await expect(page.locator('#salvato')).toContainText('Capitoli salvati.');

  // A delibera dated within the year is refused; then the Giunta's.
  const adotta = page.locator('#adotta-relazione');
  await adotta.getByLabel('Delibera di Giunta n.').fill('58');
  await adotta.getByLabel('Data della delibera').fill('2022-11-30');
  await adotta.getByRole('button', { name: 'Adotta la Relazione' }).click();
  await expect(page.getByRole('alert')).toContainText("si adotta dopo la fine dell'anno");
  await expect(adotta.getByLabel('Delibera di Giunta n.')).toHaveValue('58');
  await adotta.getByLabel('Data della delibera').fill('2023-04-27');
  await adotta.getByRole('button', { name: 'Adotta la Relazione' }).click();
  await expect(page.locator('#stato-relazione')).toHaveText('Adottata con delibera di Giunta n. 58 del 27/04/2023');
  await expect(page.locator('#salvato')).toContainText('Relazione adottata.');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Scarica la Relazione adottata (PDF/A)' }).click(),
  ]);
  const testo = execFileSync('pdftotext', ['-raw', await download.path(), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(testo).toContain('RELAZIONE SULLA PERFORMANCE');
  expect(testo).toContain('sportello unico per le imprese');
  // The Nucleo's decision on the first objective, with who took it.
  expect(testo).toContain('Nucleo (Nadia Nucleo,');
  expect(testo).toContain('Punteggio rettificato a 80%');
  // The year's results are frozen: the year-end page says so and offers no form.
  await page.goto('/e/comune-di-esempio/piani/2022/chiusura');
  await expect(page.locator('#risultati-congelati')).toBeVisible();
  await expect(page.locator('form.form-metodo')).toHaveCount(0);
});

test('il Nucleo esamina il campione, registra l\'esito e firma la validazione', async ({ page }) => {
  await login(page, 'nucleo@esempio.demo');
  await page.goto(RELAZIONE);
  await hydrated(page);
  await page.getByLabel('Composizione del Nucleo').selectOption('1');
  await page.getByRole('button', { name: 'Avvia la validazione' }).click();
  await expect(page.locator('#campione li.campione').first()).toBeVisible();
  await checkA11y(page);

  // Signing before the outcome is refused, with what is missing.
  const p12 = creaP12('Nadia Nucleo', 'nucleo-2023');
  const firma = page.locator('#firma-validazione');
  await firma.locator('input[type=file]').setInputFiles({ name: 'nadia.p12', mimeType: 'application/x-pkcs12', buffer: p12 });
  await firma.getByLabel('Password del certificato').fill('nucleo-2023');
  await firma.getByRole('button', { name: 'Firma la validazione' }).click();
  await expect(page.locator('#esito-firma-validazione').getByRole('alert')).toContainText("Registra prima le verifiche e l'esito");

  // The checks and the outcome: «validata» needs every check.
  const esito = page.locator('#esito-validazione');
  for (const v of ['Conformità alle norme e al SMVP', 'Attendibilità dei dati', 'Comprensibilità per i cittadini']) {
    await esito.getByText(v).click();
  }
  await esito.getByLabel('Esito').selectOption('validata');
  await esito.getByRole('button', { name: "Salva le verifiche e l'esito" }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'tutte le verifiche positive' })).toBeVisible();
  await esito.getByText("Modifiche dell'anno motivate").click();
  await esito.getByRole('button', { name: "Salva le verifiche e l'esito" }).click();
  await expect(page.getByText("Verifiche ed esito salvati.")).toBeVisible();

  // Every sampled objective examined on its evidence.
  const campione = page.locator('#campione');
  await expect(campione.locator('li.campione')).not.toHaveCount(0);
  const bottoni = campione.getByRole('button', { name: 'Segna come esaminato' });
  let n = await bottoni.count();
  while (n > 0) {
    await bottoni.first().click();
    await expect(bottoni).toHaveCount(n - 1);
    n -= 1;
  }
  await expect(campione).toContainText('Esaminato da Nadia Nucleo');

  const firma2 = page.locator('#firma-validazione');
  await firma2.locator('input[type=file]').setInputFiles({ name: 'nadia.p12', mimeType: 'application/x-pkcs12', buffer: p12 });
  await firma2.getByLabel('Password del certificato').fill('nucleo-2023');
  await firma2.getByRole('button', { name: 'Firma la validazione' }).click();
  await expect(page.locator('#validazione-completa')).toBeVisible();
  await expect(page.locator('#firme-validazione')).toContainText('Firme: 1 di 1 (Nadia Nucleo)');
  await expect(page.locator('#stato-relazione')).toContainText('Validata dal Nucleo');
  await checkA11y(page);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Documento di validazione (PDF firmato)' }).click(),
  ]);
  const firmaPdf = execFileSync('pdfsig', [await download.path()], { encoding: 'utf8' });
  expect(firmaPdf).toContain('Signature is Valid.');
  expect(firmaPdf).toContain('Nadia Nucleo');
});

test("l'amministratore scarica il pacchetto per Amministrazione Trasparente", async ({ page }) => {
  await login(page, 'segretario@esempio.demo');
  await page.goto(RELAZIONE);
  await hydrated(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#scarica-pubblicazione').click(),
  ]);
  expect(download.suggestedFilename()).toBe('pubblicazione-comune-di-esempio-2022.zip');
  // Every file's SHA-256 matches the manifest.
  const verifica = execFileSync('python3', ['-c', [
    'import zipfile,hashlib,sys',
    'z=zipfile.ZipFile(sys.argv[1])',
    "s={l.split('  ',1)[1]: l.split('  ',1)[0] for l in z.read('SHA256SUMS').decode().splitlines()}",
    "print(all(hashlib.sha256(z.read(n)).hexdigest()==s[n] for n in z.namelist() if n!='SHA256SUMS'))",
    "print(' '.join(z.namelist()))",
  ].join('\n'), await download.path()], { encoding: 'utf8' });
  const [ok, nomi] = verifica.trim().split('\n');
  expect(ok).toBe('True');
  for (const f of ['relazione-performance-comune-di-esempio-2022.pdf', 'validazione-relazione-comune-di-esempio-2022.pdf',
    'risultati-comune-di-esempio-2022.csv', 'piano-obiettivi-comune-di-esempio-2022.pdf', 'LEGGIMI.txt']) {
    expect(nomi.split(' ')).toContain(f);
  }
  await checkA11y(page);
});
