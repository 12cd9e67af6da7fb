// Closing the year, as its people do it on the demo's 2022 plan: the firm's SMVP profile
// adopted by the ente, the results with their «perché», a method chosen by the segretario
// and the indicators measured by the responsabile, the Nucleo's override with its reason.
import { test, expect, checkA11y, hydrated, login } from './fixtures.mjs';

test.setTimeout(180_000);

const CHIUSURA = '/e/comune-di-esempio/piani/2022/chiusura';

test("il consulente aggiorna il profilo SMVP dello studio e il Comune di Esempio lo adotta", async ({ page }) => {
  await login(page, 'consulente@studiodemo.it');
  await page.goto('/studio/consulenti');
  await page.getByRole('link', { name: 'Apri il profilo dello studio' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Profilo SMVP dello studio');
  await hydrated(page);
  await expect(page.locator('#enti-profilo')).toContainText('Comune di Esempio');
  // A threshold that is not a number is refused, and the form keeps what was typed.
  await page.getByLabel('Soglia minima degli indicatori').fill('sessanta');
  await page.getByRole('button', { name: 'Salva una nuova versione' }).click();
  await expect(page.getByRole('alert')).toContainText('Soglia minima degli indicatori: «sessanta» non è un numero');
  await expect(page.getByLabel('Soglia minima degli indicatori')).toHaveValue('sessanta');
  await page.getByLabel('Soglia minima degli indicatori').fill('60');
  await page.getByRole('button', { name: 'Salva una nuova versione' }).click();
  await expect(page.getByText('Nuova versione del profilo dello studio salvata.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Versione attuale: 2' })).toBeVisible();
  await expect(page.locator('#enti-profilo')).toContainText("1 (ce n'è una più recente)");
  await checkA11y(page);

  // The ente's page offers what differs, field by field.
  await page.goto('/e/comune-di-esempio');
  await page.locator('#link-smvp').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sistema di Misurazione e Valutazione della Performance');
  await hydrated(page);
  const offerta = page.locator('#offerta-studio');
  await expect(offerta).toContainText('versione 2');
  await expect(offerta.locator('#differenze-studio')).toContainText('Soglia minima degli indicatori');
  await expect(offerta.locator('#differenze-studio')).toContainText('60%');
  await checkA11y(page);
  await offerta.getByRole('button', { name: 'Adotta i parametri scelti' }).click();
  await expect(page.getByText('Profilo dello studio adottato: nuova versione salvata.')).toBeVisible();
  await expect(offerta).toContainText("Il profilo dell'ente coincide con quello dello studio.");
  await expect(page.getByRole('heading', { name: 'Versione in uso: 2' })).toBeVisible();
  await expect(page.locator('#versioni-profilo')).toContainText('Adottati dal profilo dello studio (versione 2)');
});

test('la chiusura dell\'anno mostra il risultato di ogni obiettivo e perché', async ({ page }) => {
  await login(page, 'segretario@esempio.demo');
  await page.goto('/e/comune-di-esempio/piani/2022');
  await page.getByRole('link', { name: "Chiusura dell'anno e risultati" }).click();
  await expect(page).toHaveURL(CHIUSURA);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Chiusura dell'anno 2022");
  await hydrated(page);
  // The year keeps the profile it was started with; the newer one is offered.
  await expect(page.locator('#testata-chiusura')).toContainText('profilo SMVP versione 1');
  await expect(page.getByRole('button', { name: 'Usa la versione 2 del profilo' })).toBeVisible();
  const primo = page.locator('article.obiettivo-esito').first();
  await expect(primo.locator('.risultato-obiettivo')).toContainText('72,5%');
  await primo.getByText('perché 72,5%?').click();
  const perche = primo.locator('details.perche ol');
  await expect(perche).toBeVisible();
  await expect(perche).toContainText('Metodo FASI');
  await expect(perche).toContainText("(50 × 100 + 50 × 45) / 100 = 72,5%.");
  // The objective the Nucleo found not evaluable, and the ente's result.
  await expect(page.locator('.rettifica-attiva').first()).toContainText('Non valutabile (causa esterna)');
  await expect(page.locator('#risultato-ente')).toContainText('perché');
  await checkA11y(page);
});

test('il segretario sceglie il metodo misto e la responsabile misura l\'indicatore', async ({ page, browser }) => {
  await login(page, 'segretario@esempio.demo');
  await page.goto(CHIUSURA);
  await hydrated(page);
  const diRita = (p) => p.locator('section.struttura-esito', { hasText: 'Responsabile: Rita Responsabile' });
  const secondo = (p) => diRita(p).locator('article.obiettivo-esito').nth(1);
  await secondo(page).getByLabel('Metodo di misurazione').selectOption('misto');
  await secondo(page).getByRole('button', { name: 'Salva il metodo' }).click();
  await expect(page.locator('#salvato')).toContainText('Metodo salvato.');
  await expect(secondo(page)).toContainText('Metodo: Misto (fasi e indicatori)');
  await expect(secondo(page).locator('.non-calcolabile')).toContainText('non ha indicatori misurati');

  const ctx = await browser.newContext();
  const rita = await ctx.newPage();
  await login(rita, 'responsabile@esempio.demo');
  await rita.goto(CHIUSURA);
  await hydrated(rita);
  // Only her own struttura has the indicators' forms; the Nucleo's form is not hers.
  await expect(rita.locator('details.misure-modifica')).toHaveCount(await diRita(rita).locator('article').count());
  await expect(rita.locator('details.rettifica-form')).toHaveCount(0);
  const art = secondo(rita);
  await art.getByText('Misura gli indicatori').click();
  const nuovo = art.locator('.form-misura').last();
  await nuovo.getByLabel('Indicatore').fill('Istanze evase');
  await nuovo.getByLabel('Valore atteso (numero)').fill('duecento');
  await nuovo.getByLabel('Valore effettivo (numero)').fill('150');
  await nuovo.getByRole('button', { name: "Salva l'indicatore" }).click();
  await expect(nuovo.getByRole('alert')).toContainText('Valore atteso: «duecento» non è un numero');
  await expect(nuovo.getByLabel('Indicatore')).toHaveValue('Istanze evase');
  await nuovo.getByLabel('Valore atteso (numero)').fill('200');
  await nuovo.getByRole('button', { name: "Salva l'indicatore" }).click();
  const dopo = secondo(rita);
  await expect(dopo.locator('li.misura')).toContainText('Istanze evase: atteso 200, effettivo 150');
  await dopo.locator('details.perche summary').click();
  await expect(dopo.locator('details.perche ol')).toContainText('Metodo MISTO');
  await expect(dopo.locator('details.perche ol')).toContainText('effettivo 150 / atteso 200 = 75%');
  await checkA11y(rita);
  await ctx.close();
});

test('il Nucleo rettifica il punteggio di un obiettivo con la motivazione', async ({ page }) => {
  await login(page, 'nucleo@esempio.demo');
  await page.goto(CHIUSURA);
  await hydrated(page);
  const primo = page.locator('article.obiettivo-esito').first();
  await primo.getByText('Rettifica del Nucleo').click();
  await primo.getByLabel('Decisione').selectOption('punteggio');
  await primo.getByLabel('Punteggio %').fill('80');
  await primo.getByLabel('Motivazione (obbligatoria)').fill('   ');
  await primo.getByRole('button', { name: 'Registra la rettifica' }).click();
  await expect(primo.getByRole('alert')).toContainText('Scrivi la motivazione');
  await primo.getByLabel('Motivazione (obbligatoria)').fill('La fase 1.2 è stata completata a dicembre, come da verbale.');
  await primo.getByRole('button', { name: 'Registra la rettifica' }).click();
  const aggiornato = page.locator('article.obiettivo-esito').first();
  await expect(page.locator('#salvato')).toContainText('Rettifica registrata.');
  await expect(aggiornato.locator('.rettifica-attiva')).toContainText('Punteggio rettificato a 80%');
  await expect(aggiornato.locator('.rettifica-attiva')).toContainText('come da verbale');
  // The computed score stays, with its reasons.
  await expect(aggiornato.locator('.risultato-obiettivo')).toContainText('72,5%');
  await checkA11y(page);
});
