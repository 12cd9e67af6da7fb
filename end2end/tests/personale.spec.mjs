import { test, expect, checkA11y, hydrated, login, firstAccess } from './fixtures.mjs';

test.setTimeout(120_000);

// Excel's "CSV (separato dal separatore di elenco)" in Italy: semicolons, Windows-1252.
const csv = Buffer.concat([
  Buffer.from('Matricola;Cognome;Nome;Area;Struttura;E-mail\r\n', 'latin1'),
  Buffer.from('P01;Caffè;Nicolò;Istruttori;Segreteria;nicolo.caffe@prova.demo\r\n', 'latin1'),
  Buffer.from('P02;Leone;Irene;D1;Segreteria;\r\n', 'latin1'),
]);

test("l'amministratore importa il personale, assegna due dipendenti e crea un accesso; il dipendente vede i suoi obiettivi", async ({ page, browser }) => {
  await login(page, 'admin@prova.demo');
  await page.locator('#contenuto').getByRole('link', { name: 'Personale' }).click();
  await expect(page).toHaveURL(/\/e\/comune-di-prova\/personale$/);
  await hydrated(page);
  await checkA11y(page);

  // A bad file: every bad row named, nothing imported.
  await page.locator('#file-csv').setInputFiles({ name: 'errato.csv', mimeType: 'text/csv', buffer: Buffer.from('matricola;cognome;nome;area\nX1;Rossi;;Istruttori\n') });
  await page.getByRole('button', { name: 'Importa' }).click();
  await expect(page.locator('#esito-import')).toContainText('Riga 2: nome mancante');
  await expect(page.locator('#elenco-personale tbody tr')).toHaveCount(0);

  await page.locator('#file-csv').setInputFiles({ name: 'personale.csv', mimeType: 'text/csv', buffer: csv });
  await page.getByRole('button', { name: 'Importa' }).click();
  await expect(page.locator('#esito-import')).toContainText('Importazione completata: 2 nuovi, 0 aggiornati, 0 invariati.');
  await expect(page.locator('#elenco-personale')).toContainText('Caffè Nicolò');
  await expect(page.locator('#elenco-personale')).toContainText('Funzionari ed Elevata Qualificazione');
  // The same file again changes nothing.
  await page.locator('#file-csv').setInputFiles({ name: 'personale.csv', mimeType: 'text/csv', buffer: csv });
  await page.getByRole('button', { name: 'Importa' }).click();
  await expect(page.locator('#esito-import')).toContainText('0 nuovi, 0 aggiornati, 2 invariati');

  // A login for Nicolò, shown once.
  await page.getByRole('button', { name: "Crea l'accesso per Caffè Nicolò" }).click();
  const otp = page.locator('code.otp');
  await expect(otp).toBeVisible();
  const password = (await otp.textContent()).trim();
  await checkA11y(page);

  // Assignments on the draft plan: Nicolò 60% + 40%, Irene 100%.
  await page.goto('/e/comune-di-prova/piani/2022/dipendenti');
  await hydrated(page);
  const segreteria = page.locator('section.struttura-assegnazioni').first();
  const form = segreteria.locator('form.nuova-assegnazione');
  const assegna = async (dip, obiettivo, peso) => {
    await form.getByLabel('Dipendente').selectOption({ label: dip });
    await form.getByLabel('Obiettivo').selectOption({ index: obiettivo });
    await form.getByLabel('Peso %').fill(peso);
    await form.getByRole('button', { name: 'Aggiungi' }).click();
  };
  await assegna('Caffè Nicolò (P01)', 0, '60');
  await expect(page.locator('#riepilogo-dipendenti')).toContainText('1 dipendente da completare: Caffè Nicolò (P01): i pesi sommano a 60%, mancano 40%.');
  await assegna('Caffè Nicolò (P01)', 1, '40');
  await expect(segreteria.locator('tr.assegnazione')).toHaveCount(2);
  await assegna('Leone Irene (P02)', 2, '100');
  await expect(segreteria.locator('tr.assegnazione')).toHaveCount(3);
  await expect(page.locator('#riepilogo-dipendenti')).toHaveText('Tutti i dipendenti assegnati sommano a 100%.');
  await checkA11y(page);

  // Nicolò signs in and sees exactly his objectives, with his weights.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await firstAccess(p2, 'nicolo.caffe@prova.demo', password);
  await p2.getByRole('link', { name: 'Vai ai tuoi enti' }).click();
  await expect(p2).toHaveURL(/\/e\/comune-di-prova\/miei-obiettivi$/);
  await hydrated(p2);
  await expect(p2.locator('article.mio-obiettivo')).toHaveCount(2);
  const pesi = await p2.locator('.peso-mio').allTextContents();
  expect(pesi.sort()).toEqual(['40%', '60%']);
  await expect(p2.locator('main')).toContainText('SEGRETERIA — obiettivo n. 1');
  await expect(p2.locator('main')).toContainText('SEGRETERIA — obiettivo n. 2');
  await checkA11y(p2);
  // Nothing else of the ente.
  const r = await p2.goto('/e/comune-di-prova/piani/2022');
  await expect(p2.locator('main')).toContainText('Non hai i permessi');
  await expect(p2.locator('main')).not.toContainText('Customer Satisfaction');
  await other.close();
});

test('il dipendente della demo vede i suoi obiettivi', async ({ page }) => {
  await login(page, 'dipendente@esempio.demo');
  await expect(page).toHaveURL(/\/e\/comune-di-esempio\/miei-obiettivi$/);
  await expect(page.locator('h1')).toHaveText('I miei obiettivi');
  await expect(page.locator('article.mio-obiettivo')).toHaveCount(2);
  await checkA11y(page);
});

test("un dipendente dal modulo, con le date di servizio; date incoerenti rifiutate", async ({ page }) => {
  await login(page, 'admin@prova.demo');
  await page.goto('/e/comune-di-prova/personale');
  await hydrated(page);
  const form = page.locator('#nuovo-dipendente');
  await form.getByLabel('Matricola').fill('P90');
  await form.getByLabel('Cognome').fill('Fabbri');
  await form.getByLabel('Nome', { exact: true }).fill('Franca');
  await form.getByLabel('Area (CCNL 2019–2021)').selectOption({ label: 'Istruttori' });
  await form.getByLabel('Struttura').fill('Segreteria');
  await form.getByLabel('In servizio dal').fill('2024-03-01');
  await form.getByLabel('In servizio fino al (facoltativo)').fill('2023-12-31');
  await form.getByRole('button', { name: 'Salva dipendente' }).click();
  await expect(page.locator('.alert-danger')).toContainText('la data di fine precede quella di inizio');
  await expect(page.locator('tr[data-matricola="P90"]')).toHaveCount(0);
  await form.getByLabel('In servizio fino al (facoltativo)').fill('2026-12-31');
  await form.getByRole('button', { name: 'Salva dipendente' }).click();
  await expect(page.getByText('Dipendente salvato.')).toBeVisible();
  await expect(page.locator('tr[data-matricola="P90"]')).toContainText('dal 01/03/2024 al 31/12/2026');
  await checkA11y(page);
});
