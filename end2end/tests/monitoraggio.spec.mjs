// Monitoring during the year, as its people use it on the demo's 2022 plan: the 30/06
// checkpoint is closed, at 30/09 every struttura but Rita Responsabile's has reported.
import { execFileSync } from 'node:child_process';
import { test, expect, checkA11y, creaP12, hydrated, login } from './fixtures.mjs';

test.setTimeout(180_000);

const ELENCO = '/e/comune-di-esempio/piani/2022/monitoraggio';

test('la responsabile compila e invia la rilevazione al 30/09 con un\'evidenza', async ({ page }) => {
  await login(page, 'responsabile@esempio.demo');
  // What is due shows on the ente's page (the demo's 2022 deadlines are long past).
  await page.goto('/e/comune-di-esempio');
  const dafare = page.locator('#scadenze');
  await expect(dafare).toContainText('Invia la rilevazione al 30/09/2022');
  await expect(dafare.locator('.badge.bg-danger').first()).toContainText('scaduta da');
  await checkA11y(page);
  await page.goto('/e/comune-di-esempio/piani/2022');
  // On the plan, her struttura's lights are those of 30/06, the last record she submitted.
  const luceSua = (p) => p.locator('section.struttura', { hasText: 'Rita Responsabile' })
    .locator('tr.riga.obiettivo .avanzamento-riga').first();
  await expect(luceSua(page)).toContainText('Avanzamento al 30/06/2022');
  await page.getByRole('link', { name: "Monitoraggio dell'avanzamento" }).click();
  await expect(page).toHaveURL(ELENCO);
  await expect(page.locator('#monitoraggi')).toContainText('Chiuso il');
  await expect(page.locator('#monitoraggi')).toContainText('referto firmato da Nadia Nucleo');
  await checkA11y(page);
  await page.getByRole('link', { name: 'Apri il monitoraggio al 30/09/2022' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Monitoraggio al 30/09/2022');
  await hydrated(page);
  await checkA11y(page);

  const sezione = page.locator('section.rilevazione', { has: page.locator('form.invia-rilevazione') });
  await expect(sezione).toHaveCount(1);
  const titolo = await sezione.getAttribute('aria-labelledby');

  // Submitting an empty record says what is missing.
  await sezione.locator('form.invia-rilevazione button').click();
  await expect(sezione.getByRole('alert')).toContainText("Indica l'avanzamento di");

  // 0% at the end of September is a red light: the cause is required.
  const righe = sezione.locator('form.riga-monitorata');
  const prima = righe.first();
  await prima.locator('.campo-percentuale').fill('0');
  await prima.getByRole('button', { name: 'Salva' }).click();
  await expect(prima.getByRole('alert')).toContainText('semaforo è rosso');
  await prima.locator('.campo-causa').selectOption({ label: 'Personale' });
  await prima.getByLabel('Azione correttiva').fill('Affiancamento di un istruttore da ottobre.');
  await prima.getByRole('button', { name: 'Salva' }).click();
  await expect(prima.locator('.esito-ok')).toHaveText('Salvato.');
  await expect(prima.locator('.semaforo-rosso')).toBeVisible();
  // A proposal of rimodulazione says what and why.
  await prima.locator('.campo-proposta').selectOption({ label: 'Modificare il peso' });
  await prima.getByRole('button', { name: 'Salva' }).click();
  await expect(prima.getByRole('alert')).toContainText('scrivi la proposta e il suo motivo');
  await prima.getByLabel('Proposta e motivo').fill('Ridurre il peso al 10%: metà del personale è assente.');
  await prima.getByRole('button', { name: 'Salva' }).click();
  await expect(prima.locator('.esito-ok')).toHaveText('Salvato.');

  // The other objectives and phases are on time.
  const n = await righe.count();
  for (let i = 1; i < n; i++) {
    const r = righe.nth(i);
    await r.locator('.campo-percentuale').fill('100');
    await r.getByRole('button', { name: 'Salva' }).click();
    await expect(r.locator('.esito-ok')).toHaveText('Salvato.');
  }
  await expect(righe.nth(n - 1).locator('.semaforo-verde')).toBeVisible();

  // Evidence: a program is refused by its content, a PDF is kept and listed.
  const obiettivo = sezione.locator('article.obiettivo-monitorato').first();
  const carica = obiettivo.locator('form.carica-evidenza');
  await carica.locator('input[type=file]').setInputFiles({ name: 'verbale.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\0 programma') });
  await carica.getByRole('button', { name: 'Allega', exact: true }).click();
  await expect(obiettivo.getByRole('alert')).toContainText('non è tra i tipi ammessi');
  await carica.locator('input[type=file]').setInputFiles({ name: 'verbale-settembre.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% verbale della riunione di settembre\n') });
  await carica.getByRole('button', { name: 'Allega', exact: true }).click();
  await expect(obiettivo.locator('ul.evidenze')).toContainText('verbale-settembre.pdf');

  await sezione.locator('form.invia-rilevazione button').click();
  await expect(page.locator(`#${titolo}`)).toContainText('Inviata al Nucleo');
  await expect(page.locator(`section[aria-labelledby="${titolo}"] form.riga-monitorata`)).toHaveCount(0);
  // The plan shows the lights of the record just submitted: the first objective red at 30/09.
  await page.goto('/e/comune-di-esempio/piani/2022');
  await expect(luceSua(page)).toContainText('Avanzamento al 30/09/2022: 0%');
  await expect(luceSua(page).locator('.semaforo-rosso')).toBeVisible();
});

test('il Nucleo annota, chiude il monitoraggio firmando il referto e lo scarica', async ({ page }) => {
  await login(page, 'nucleo@esempio.demo');
  await page.goto('/e/comune-di-esempio');
  await page.getByRole('link', { name: /Chiudi il monitoraggio al 30\/09\/2022/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Monitoraggio al 30/09/2022');
  await hydrated(page);
  await expect(page.locator('#quadro')).toContainText('rosso');
  const nota = page.locator('form.nota-nucleo').first();
  await nota.getByLabel('Osservazioni del Nucleo').fill('Carenza di personale segnalata: verificare a fine anno.');
  await nota.getByRole('button', { name: 'Salva le osservazioni' }).click();
  await expect(page.getByText('Osservazioni salvate.')).toBeVisible();
  await checkA11y(page);

  const p12 = creaP12('Nadia Nucleo', 'nucleo-2022');
  const chiudi = page.locator('#chiudi-monitoraggio');
  await chiudi.locator('input[type=file]').setInputFiles({ name: 'nadia.p12', mimeType: 'application/x-pkcs12', buffer: p12 });
  await chiudi.getByLabel('Password del certificato').fill('sbagliata');
  await chiudi.getByRole('button', { name: 'Chiudi e firma il referto' }).click();
  await expect(page.locator('#esito-chiudi-monitoraggio').getByRole('alert')).toContainText('PKCS#12');
  await chiudi.getByLabel('Password del certificato').fill('nucleo-2022');
  await chiudi.getByRole('button', { name: 'Chiudi e firma il referto' }).click();
  await expect(page.locator('#referto')).toContainText('referto firmato da Nadia Nucleo');
  await expect(page.locator('#chiudi-monitoraggio')).toHaveCount(0);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Scarica il referto firmato (PDF)' }).click(),
  ]);
  const percorso = await download.path();
  const firma = execFileSync('pdfsig', [percorso], { encoding: 'utf8' });
  expect(firma).toContain('Signature is Valid.');
  expect(firma).toContain('Nadia Nucleo');
  const testo = execFileSync('pdftotext', ['-raw', percorso, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(testo).toContain('REFERTO DI MONITORAGGIO INTERMEDIO');
  expect(testo).toContain('Carenza di personale segnalata');
  // The plan shows each objective's light at the latest checkpoint (the demo's final
  // record at 31/12 for the Segreteria).
  await page.goto('/e/comune-di-esempio/piani/2022');
  await expect(page.locator('.avanzamento-riga').first()).toContainText('Avanzamento al 31/12/2022');
  await expect(page.locator('section.struttura .semaforo').first()).toBeVisible();
  await checkA11y(page);
  // Nothing left to do for the Nucleo at 30/09; the year-end's record at 31/12 remains.
  await page.goto('/e/comune-di-esempio');
  await expect(page.locator('#ruolo')).toBeVisible();
  await expect(page.locator('#scadenze')).toContainText('31/12/2022');
  await expect(page.locator('#scadenze')).not.toContainText('30/09/2022');
});

test('il dipendente vede avanzamento e semaforo dei propri obiettivi', async ({ page }) => {
  await login(page, 'dipendente@esempio.demo');
  await page.goto('/e/comune-di-esempio/miei-obiettivi');
  const primo = page.locator('.avanzamento-mio').first();
  await expect(primo).toContainText(/Avanzamento al 30\/0[69]\/2022/);
  await expect(page.locator('.mio-obiettivo .semaforo').first()).toBeVisible();
  await checkA11y(page);
  // The checkpoint itself is not the dipendente's to read.
  await page.goto(ELENCO);
  await expect(page.getByRole('alert')).toHaveText('Non hai i permessi per questa operazione.');
  await expect(page.locator('#monitoraggi')).toHaveCount(0);
});

test('il consulente imposta lo stesso monitoraggio in tutti gli enti dello studio', async ({ page }) => {
  await login(page, 'consulente@studiodemo.it');
  await page.goto('/studio/consulenti');
  await hydrated(page);
  const form = page.locator('#monitoraggi-studio');
  await form.getByLabel('Annualità').fill('2022');
  await form.getByLabel('Data del monitoraggio').fill('2022-11-30');
  await form.getByRole('button', { name: 'Aggiungi a tutti' }).click();
  const esito = page.locator('#esito-monitoraggi-studio');
  await expect(esito).toContainText('Comune di Esempio: Monitoraggio al 30/11/2022 aggiunto.');
  await expect(esito).toContainText('Comune di Prova: Il monitoraggio riguarda un piano approvato');
  await checkA11y(page);
  await page.goto(ELENCO);
  await expect(page.locator('#monitoraggi')).toContainText('30/11/2022');
  await expect(page.locator('#monitoraggi')).toContainText('15/12/2022');
});

test("l'amministratore dell'ente aggiunge un monitoraggio e ne cambia le date", async ({ page }) => {
  await login(page, 'segretario@esempio.demo');
  await page.goto(ELENCO);
  await hydrated(page);
  const nuovo = page.locator('#nuovo-monitoraggio');
  await nuovo.getByLabel('Data del monitoraggio').fill('2023-03-31');
  await nuovo.getByRole('button', { name: 'Aggiungi' }).click();
  await expect(page.getByRole('alert')).toContainText("deve cadere nell'annualità 2022");
  // The demo has 30/06, 30/09 and the final 31/12; the firm added 30/11: four is the most,
  // a fifth is refused.
  await nuovo.getByLabel('Data del monitoraggio').fill('2022-04-30');
  await nuovo.getByRole('button', { name: 'Aggiungi' }).click();
  await expect(page.getByRole('alert')).toContainText('al massimo 4 monitoraggi');

  const date = page.locator('form.cambia-date', { has: page.getByLabel('Monitoraggio al 31/12/2022') });
  await date.getByLabel('Scadenza responsabili').fill('2023-01-20');
  await date.getByRole('button', { name: 'Salva le date' }).click();
  await expect(page.getByText('Date salvate.')).toBeVisible();
  await expect(page.locator('#monitoraggi')).toContainText('20/01/2023');
  await checkA11y(page);
});
