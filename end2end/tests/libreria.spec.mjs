import { test, expect, checkA11y, hydrated, login } from './fixtures.mjs';

test.setTimeout(180_000);

const TITOLO = 'Sportello digitale per le imprese';
const V1 = 'Attivazione dello sportello digitale per le imprese con prenotazione degli appuntamenti.';
const V2 = 'Attivazione dello sportello digitale per le imprese, con prenotazione e pagamenti PagoPA.';

test('il consulente crea un modello, l’ente lo adotta, il consulente lo aggiorna, l’ente applica l’aggiornamento', async ({ page, browser }) => {
  // The consultant searches the base library (Italian full text) and writes a firm template.
  await login(page, 'consulente@studiodemo.it');
  await page.getByRole('link', { name: 'libreria dei modelli' }).click();
  await expect(page).toHaveURL(/\/libreria$/);
  // The base library (11, from the reference) and Studio Demo's own three.
  await expect(page.locator('#elenco-modelli li.modello')).toHaveCount(14);
  await expect(page.locator('#elenco-modelli')).toContainText('Anagrafe digitale e certificati online');
  await checkA11y(page);
  await page.getByLabel('Cerca nel testo').fill('trasparente');
  await page.getByRole('button', { name: 'Cerca' }).click();
  await expect(page).toHaveURL(/q=trasparente/);
  await expect(page.locator('#elenco-modelli')).toContainText('Trasparenza: obblighi e adempimenti (D.Lgs. 33/2013)');
  await expect(page.locator('#elenco-modelli')).not.toContainText('Lavoro agile');

  await page.getByRole('link', { name: 'Nuovo modello' }).click();
  await expect(page).toHaveURL(/\/libreria\/nuovo$/);
  await hydrated(page);
  await page.getByLabel('Titolo del modello').fill(TITOLO);
  await page.getByLabel("Descrizione dell'obiettivo").fill(V1);
  await page.getByLabel('Peso proposto %').fill('20');
  await page.getByLabel('Scadenza (giorno e mese)').fill('30 novembre');
  await page.locator('label[for="mod-tipo-amministrativa"]').click();
  await page.getByLabel('Indicatori di misurazione').fill('Sportello attivo; prenotazioni gestite');
  await page.getByRole('button', { name: 'Aggiungi fase' }).click();
  const fase = page.locator('fieldset.fase-modello').first();
  await fase.getByLabel('Descrizione della fase').fill('Fase: configurazione del servizio di prenotazione');
  await fase.getByLabel('Peso %').fill('60');
  await fase.getByLabel('Scadenza').fill('30 giugno');
  // The rules run as the consultant types.
  await expect(page.locator('.controlli-modello')).toContainText('I pesi delle fasi devono sommare a 100%: ora 60%.');
  await fase.getByLabel('Peso %').fill('100');
  await expect(page.locator('.controlli-modello')).toHaveCount(0);
  await checkA11y(page);
  await page.getByRole('button', { name: 'Crea il modello' }).click();
  await expect(page).toHaveURL(/\/libreria\/[0-9a-f-]{36}$/);
  await expect(page.locator('#avviso-modello')).toHaveText('Modello creato (versione 1).');
  await expect(page.locator('#titolo-modello')).toHaveText(TITOLO);
  const modelloUrl = page.url();

  // An admin of Comune di Prova adopts it into a new plan.
  const ctx = await browser.newContext();
  const ente = await ctx.newPage();
  await login(ente, 'admin@prova.demo');
  await ente.goto('/e/comune-di-prova/piani');
  await hydrated(ente);
  await ente.getByLabel('Annualità').fill('2026');
  await ente.getByLabel(/Dal modello di riferimento/).check();
  await ente.getByRole('button', { name: 'Crea il piano' }).click();
  await expect(ente).toHaveURL(/\/e\/comune-di-prova\/piani\/2026$/);
  await hydrated(ente);
  const amministrativa = ente.locator('section.struttura').nth(1);
  await amministrativa.getByRole('button', { name: 'Aggiungi dalla libreria' }).click();
  const pannello = amministrativa.locator('.pannello-libreria');
  // The search starts on the kind of struttura (from its name).
  await expect(pannello.getByLabel('Struttura', { exact: true })).toHaveValue('amministrativa');
  await pannello.getByLabel('Cerca nel testo').fill('sportello imprese');
  await pannello.getByRole('button', { name: 'Cerca' }).click();
  await expect(pannello.locator('.modello-risultato')).toHaveCount(1);
  await checkA11y(ente);
  await pannello.getByRole('button', { name: `Aggiungi a questa struttura: ${TITOLO}` }).click();
  await expect(pannello.locator('.alert-success')).toHaveText(`Aggiunto l'obiettivo n. 7 dal modello «${TITOLO}».`);
  const adottato = amministrativa.locator('.riga.obiettivo').nth(6);
  await expect(adottato.locator('.campo-descrizione').first()).toHaveValue(V1);
  await expect(adottato.locator('.campo-data').first()).toHaveValue('2026-11-30');
  await expect(adottato.locator('.origine-modello')).toContainText(`Dal modello «${TITOLO}», versione 1.`);
  await expect(adottato.locator('.riga.fase')).toHaveCount(1);

  // The consultant edits the template: a new version; the ente is shown on version 1.
  await page.goto(modelloUrl);
  await hydrated(page);
  await expect(page.locator('#uso-modello')).toContainText('Comune di Prova');
  await expect(page.locator('#uso-modello')).toContainText('1 (attuale)');
  await page.getByRole('button', { name: 'Modifica (nuova versione)' }).click();
  await page.getByLabel("Descrizione dell'obiettivo").fill(V2);
  await page.getByRole('button', { name: 'Salva come nuova versione' }).click();
  await expect(page.locator('#avviso-modello')).toHaveText('Modello salvato come versione 2.');
  await expect(page.locator('#versioni-modello li')).toHaveCount(2);
  await expect(page.locator('.testo-modello')).toHaveText(V2);
  await expect(page.locator('#uso-modello')).toContainText('1 (non aggiornata)');
  // Offered to every ente of the firm at once (also where a draft had set it aside).
  await hydrated(page);
  await page.getByRole('button', { name: "Proponi l'aggiornamento a tutti gli enti" }).click();
  await expect(page.locator('#esito-proponi')).toContainText("Comune di Prova: l'aggiornamento è proposto in 1 obiettivo.");

  // The ente sees the update, compares field by field, takes it.
  await ente.reload();
  await hydrated(ente);
  const riga = ente.locator('section.struttura').nth(1).locator('.riga.obiettivo').nth(6);
  await expect(riga.locator('.aggiornamento-disponibile')).toContainText('Aggiornamento disponibile: versione 2 del modello.');
  await riga.getByRole('button', { name: 'Vedi le differenze' }).click();
  const diff = riga.locator('.differenze-modello');
  await expect(diff).toContainText(V1);
  await expect(diff).toContainText(V2);
  await expect(diff.getByLabel('Descrizione')).toBeChecked();
  await checkA11y(ente);
  await diff.getByRole('button', { name: 'Applica le modifiche scelte' }).click();
  await expect(riga.locator('.origine-modello .alert-success')).toHaveText("Aggiornamento applicato: l'obiettivo segue ora la versione 2 del modello.");
  await expect(riga.locator('.campo-descrizione').first()).toHaveValue(V2);
  await ente.reload();
  await hydrated(ente);
  const dopo = ente.locator('section.struttura').nth(1).locator('.riga.obiettivo').nth(6);
  await expect(dopo.locator('.campo-descrizione').first()).toHaveValue(V2);
  await expect(dopo.locator('.origine-modello')).toContainText('versione 2.');
  await expect(dopo.locator('.aggiornamento-disponibile')).toHaveCount(0);

  // The consultant's view follows.
  await page.reload();
  await expect(page.locator('#uso-modello')).toContainText('2 (attuale)');
  await ctx.close();
});
