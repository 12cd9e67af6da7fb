// Individual evaluation and the premi of the demo's 2022 year, as its people do them: the
// responsabile evaluates her employee after the final colloquio; the employee confirms he
// has seen it and asks for a review; the responsabile decides it after the hearing; the
// ente's admin simulates the premi, changes the threshold and sees the distribution change,
// saves the parameters, makes the distribution final and downloads the payroll CSV and the
// art. 20 tables.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test, expect, checkA11y, creaP12, hydrated, login } from './fixtures.mjs';

test.setTimeout(120_000);

const VALUTAZIONI = '/e/comune-di-esempio/piani/2022/valutazioni';
// Today in Italy, as the server counts it (the UTC date is the day before after midnight in Rome).
const oggi = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Rome' });

test('la responsabile valuta il suo dipendente e propone la scheda', async ({ page }) => {
  await login(page, 'responsabile@esempio.demo');
  await page.goto('/e/comune-di-esempio/piani/2022');
  await page.getByRole('link', { name: 'Valutazioni individuali e premi' }).click();
  await expect(page).toHaveURL(VALUTAZIONI);
  await checkA11y(page);
  await page.getByRole('link', { name: /Dipendente Dario/ }).click();
  await expect(page.locator('h1')).toContainText('Dipendente Dario');
  await expect(page.locator('#stato-scheda')).toContainText('In compilazione');
  await hydrated(page);
  await checkA11y(page);
  // The results' sections are computed from the year-end; the behaviours are Rita's.
  await expect(page.locator('#sezione-risultati')).toContainText('%');
  const form = page.locator('#form-scheda');
  await form.getByLabel('Collaborazione e lavoro di gruppo').selectOption('5');
  await form.getByLabel('Affidabilità e rispetto dei tempi').selectOption('4');
  await form.getByLabel('Colloquio finale', { exact: true }).fill('2023-01-24');
  await form.getByRole('button', { name: 'Salva la scheda' }).click();
  await expect(page.locator('#salvato')).toContainText('Scheda salvata.');
  await expect(form.getByLabel('Collaborazione e lavoro di gruppo')).toHaveValue('5');
  // A proposal needs every behaviour scored.
  await form.getByText(/proponi la valutazione/).click();
  await form.getByRole('button', { name: 'Salva la scheda' }).click();
  await expect(page.getByRole('alert')).toContainText('Manca il voto di');
  for (const nome of ["Orientamento all'utenza e alla qualità del servizio", 'Iniziativa e soluzione dei problemi', 'Aggiornamento e crescita professionale']) {
    await form.getByLabel(nome).selectOption('4');
  }
  // Nothing was lost: the choice to propose is still there.
  await expect(form.getByLabel(/proponi la valutazione/)).toBeChecked();
  await form.getByRole('button', { name: 'Salva la scheda' }).click();
  await expect(page.locator('#stato-scheda')).toContainText('Proposta, in attesa di presa visione');
  await expect(page.locator('#totale-scheda')).toContainText('Punteggio complessivo');
  await page.locator('#totale-scheda summary').click();
  await expect(page.locator('#totale-scheda')).toContainText('Punteggio: (30 ×');
});

test('il dipendente prende visione della scheda e chiede la revisione', async ({ page }) => {
  await login(page, 'dipendente@esempio.demo');
  await page.goto('/e/comune-di-esempio/miei-obiettivi');
  await page.getByRole('link', { name: 'La mia valutazione 2022' }).click();
  await expect(page.locator('#schede tbody tr')).toHaveCount(1);
  await page.getByRole('link', { name: /Dipendente Dario/ }).click();
  await hydrated(page);
  await checkA11y(page);
  await page.getByRole('button', { name: 'Confermo la presa visione' }).click();
  await expect(page.locator('#salvato')).toContainText('Presa visione registrata.');
  await expect(page.locator('#cronologia')).toContainText('Presa visione:');
  const revisione = page.locator('#form-revisione');
  await revisione.getByLabel('Motivi della richiesta di revisione').fill('Chiedo che sia considerato il lavoro svolto per lo sportello digitale nel secondo semestre.');
  await revisione.getByRole('button', { name: 'Chiedi la revisione' }).click();
  await expect(page.locator('#stato-scheda')).toContainText('Revisione richiesta');
  await expect(page.locator('#cronologia')).toContainText('sportello digitale');
});

test('la responsabile decide la revisione dopo l\'audizione', async ({ page }) => {
  await login(page, 'responsabile@esempio.demo');
  await page.goto(VALUTAZIONI);
  await page.getByRole('link', { name: /Dipendente Dario/ }).click();
  await expect(page.locator('#stato-scheda')).toContainText('Revisione richiesta');
  await hydrated(page);
  const form = page.locator('#form-decisione');
  await form.getByLabel('Iniziativa e soluzione dei problemi').selectOption('5');
  await form.getByLabel("Data dell'audizione").fill(oggi());
  await form.getByText('Presente un rappresentante sindacale').click();
  await form.getByLabel('Motivazione della decisione').fill("Sentito il dipendente: l'iniziativa sullo sportello digitale merita il voto pieno.");
  await form.getByRole('button', { name: 'Decidi e rendi definitiva' }).click();
  await expect(page.locator('#stato-scheda')).toContainText('Definitiva');
  await expect(page.locator('#cronologia')).toContainText('con un rappresentante sindacale');
  await checkA11y(page);
  // Rita signs the final scheda with her own certificate.
  const p12 = creaP12('Rita Responsabile', 'rita-2023');
  const firma = page.locator('#firma-scheda');
  await firma.locator('input[type=file]').setInputFiles({ name: 'rita.p12', mimeType: 'application/x-pkcs12', buffer: p12 });
  await firma.getByLabel('Password del certificato').fill('rita-2023');
  await firma.getByRole('button', { name: 'Firma la scheda' }).click();
  await expect(page.locator('#scheda-firmata')).toContainText('Firmata digitalmente da Rita Responsabile');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Scarica la scheda (PDF)' }).click(),
  ]);
  const firme = execFileSync('pdfsig', [await download.path()], { encoding: 'utf8' });
  expect(firme).toContain('Signature #1');
  expect(firme).toContain('Rita Responsabile');
  const testo = execFileSync('pdftotext', ['-raw', await download.path(), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(testo).toContain('SCHEDA DI VALUTAZIONE INDIVIDUALE');
  expect(testo).toContain('Dipendente Dario');
  expect(testo).toContain('sportello digitale');
});

test("l'amministratore simula i premi, cambia la soglia, rende definitiva la ripartizione e scarica i file", async ({ page }) => {
  await login(page, 'segretario@esempio.demo');
  await page.goto(VALUTAZIONI);
  await expect(page.locator('#schede tbody tr')).toHaveCount(20);
  // What the premi read beside the score: a month of absences for Elena Colombo.
  await page.getByRole('link', { name: /Colombo Elena/ }).click();
  await hydrated(page);
  await page.locator('#dati-premi summary').click();
  await page.getByLabel('Giorni di assenza').fill('30');
  await page.getByRole('button', { name: 'Salva i dati per i premi' }).click();
  await expect(page.locator('#salvato')).toContainText('Dati per i premi salvati.');
  await page.goto(VALUTAZIONI);
  await page.getByRole('link', { name: 'Premi: simulazione e ripartizione' }).click();
  await expect(page.locator('h1')).toHaveText('Premi 2022');
  await hydrated(page);
  await checkA11y(page);
  const totali = page.locator('#pool-personale .totali');
  await expect(totali).toContainText('Fondo 32.000,00 €');
  await expect(totali).toContainText('a 2 persone');
  const prima = await totali.textContent();
  // A higher threshold: fewer people admitted, a different split; nothing saved yet.
  const soglia = page.getByLabel('Soglia di accesso (punti)');
  await soglia.fill('80');
  await soglia.press('Tab');
  await expect(page).toHaveURL(/soglia=80/);
  await expect(page.locator('#simulazione')).toBeVisible();
  await expect(totali).not.toHaveText(prima);
  await expect(page.getByRole('button', { name: 'Rendi definitiva la ripartizione' })).toHaveCount(0);
  // A bonus under the CCNL's minimum is said, and nothing is computed from it.
  const magg = page.getByLabel('Maggiorazione art. 81 (% del premio medio)');
  await magg.fill('20');
  await magg.press('Tab');
  await expect(page.locator('#errori-parametri')).toContainText('almeno il 30%');
  await magg.fill('30');
  await magg.press('Tab');
  await expect(page.locator('#errori-parametri')).toHaveCount(0);
  await page.getByRole('button', { name: 'Salva questi parametri' }).click();
  await expect(page.locator('#salvato')).toContainText('Parametri salvati.');
  await page.goto('/e/comune-di-esempio/piani/2022/premi');
  await expect(page.getByLabel('Soglia di accesso (punti)')).toHaveValue('80');
  await hydrated(page);
  await page.getByRole('button', { name: 'Rendi definitiva la ripartizione' }).click();
  await expect(page.locator('#premi-definitivi')).toBeVisible();
  await checkA11y(page);

  const scarica = async (nome) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: nome }).click(),
    ]);
    return readFileSync(await download.path());
  };
  const csv = (await scarica('Importi per le paghe (CSV)')).toString('utf8');
  const righe = csv.trim().split('\n');
  expect(righe[0]).toBe('matricola;cognome_nome;categoria;punteggio;esito;premio_base;maggiorazione_art81;totale');
  expect(righe).toHaveLength(21);
  expect(csv).toContain('Dipendente Dario');
  const art20 = (await scarica('Dati art. 20 (CSV)')).toString('utf8');
  expect(art20).toContain('stanziato');
  expect(art20).not.toContain('Dario');
  const pdf = await scarica('Dati art. 20 (PDF/A)');
  expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
});

test("l'amministratore cambia i pesi della scheda del personale nel profilo SMVP", async ({ page }) => {
  await login(page, 'segretario@esempio.demo');
  await page.goto('/e/comune-di-esempio/smvp');
  await hydrated(page);
  const form = page.locator('#salva-profilo');
  await form.getByLabel('Personale: comportamenti').fill('40');
  await form.getByRole('button', { name: 'Salva una nuova versione' }).click();
  await expect(page.getByRole('alert')).toContainText('le sezioni sommano 90%, non 100%');
  await expect(form.getByLabel('Personale: comportamenti')).toHaveValue('40');
  await form.getByLabel('Personale: risultati della struttura').fill('40');
  await form.getByRole('button', { name: 'Salva una nuova versione' }).click();
  await expect(page.getByText('Nuova versione del profilo salvata.')).toBeVisible();
  await expect(page.locator('#profilo-attuale')).toContainText('Risultati della struttura 40% · Obiettivi assegnati 20% · Comportamenti e competenze 40%');
  await checkA11y(page);
});
