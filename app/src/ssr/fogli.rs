//! Spreadsheets and CSV for the firm: the cockpit, and a plan with one sheet per struttura
//! and the reference table's columns.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use crate::domain::plan::data_label;
use crate::error::{AppError, AppResult};
use crate::model::{CruscottoView, PianoView, RigaCruscotto};

fn interno(e: XlsxError) -> AppError {
    AppError::interno(e)
}

const COLONNE_CRUSCOTTO: [&str; 11] = [
    "Ente",
    "Provincia",
    "Stato del piano",
    "Violazioni delle regole",
    "Modelli con versione più recente",
    "Dipendenti al 100%",
    "Dipendenti assegnati",
    "Monitoraggio",
    "Prossima scadenza",
    "Data della scadenza",
    "Giorni alla scadenza",
];

fn valori(r: &RigaCruscotto) -> [String; 11] {
    let (scadenza, data, giorni) = match &r.prossima {
        Some((t, d, g)) => (t.clone(), data_label(*d), g.to_string()),
        None => Default::default(),
    };
    [
        r.nome.clone(),
        r.provincia.clone(),
        r.stato.label().to_string(),
        r.violazioni.to_string(),
        r.modelli_nuovi.to_string(),
        r.personale_completo.to_string(),
        r.personale_assegnato.to_string(),
        r.monitoraggio.clone().unwrap_or_else(|| "—".into()),
        scadenza,
        data,
        giorni,
    ]
}

/// The cockpit's rows as CSV (semicolons, as Italian spreadsheets read them).
pub fn cruscotto_csv(v: &CruscottoView) -> AppResult<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record(COLONNE_CRUSCOTTO)
        .map_err(AppError::interno)?;
    for r in &v.righe {
        w.write_record(valori(r)).map_err(AppError::interno)?;
    }
    w.into_inner().map_err(AppError::interno)
}

/// The cockpit's rows as XLSX: numbers as numbers, the late deadlines in red.
pub fn cruscotto_xlsx(v: &CruscottoView) -> AppResult<Vec<u8>> {
    let mut wb = Workbook::new();
    let titolo = Format::new().set_bold().set_background_color("#DCE6F1");
    let rosso = Format::new().set_font_color("#B00020").set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(format!("Cruscotto {}", v.anno))
        .map_err(interno)?;
    for (c, h) in COLONNE_CRUSCOTTO.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &titolo)
            .map_err(interno)?;
    }
    for (i, r) in v.righe.iter().enumerate() {
        let riga = i as u32 + 1;
        let x = valori(r);
        for (c, testo) in x.iter().enumerate() {
            let c16 = c as u16;
            match c {
                3..=6 | 10 if !testo.is_empty() => {
                    let n: f64 = testo.parse().unwrap_or_default();
                    if c == 10 && n < 0.0 {
                        ws.write_number_with_format(riga, c16, n, &rosso)
                    } else {
                        ws.write_number(riga, c16, n)
                    }
                    .map_err(interno)?;
                }
                _ => {
                    ws.write_string(riga, c16, testo).map_err(interno)?;
                }
            }
        }
    }
    ws.set_column_width(0, 32).map_err(interno)?;
    ws.set_column_width(7, 36).map_err(interno)?;
    ws.set_column_width(8, 48).map_err(interno)?;
    ws.set_freeze_panes(1, 1).map_err(interno)?;
    wb.save_to_buffer().map_err(interno)
}

/// A plan: one sheet per struttura, its header lines then the reference's table (objectives
/// and their phases, weights as percentages, dates as 31/12/2022).
pub fn piano_xlsx(p: &PianoView) -> AppResult<Vec<u8>> {
    let mut wb = Workbook::new();
    let grassetto = Format::new().set_bold();
    let intestazione = Format::new()
        .set_bold()
        .set_background_color("#DCE6F1")
        .set_align(FormatAlign::Center);
    let testo = Format::new().set_text_wrap();
    let percento = Format::new().set_num_format("0.00%");
    let mut nomi: Vec<String> = Vec::new();
    for (i, s) in p.strutture.iter().enumerate() {
        let ws = wb.add_worksheet();
        // Sheet names: at most 31 characters, none of []:*?/\ and unique.
        let base: String = format!("{} {}", i + 1, s.nome)
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        let nome = if nomi.contains(&base) {
            format!("Struttura {}", i + 1)
        } else {
            base
        };
        nomi.push(nome.clone());
        ws.set_name(nome.trim()).map_err(interno)?;
        let mut r = 0u32;
        for (etichetta, valore) in [
            ("Struttura", s.nome.clone()),
            (s.responsabile_titolo.as_str(), s.responsabile_nome.clone()),
            ("Linea Strategica", s.linea_strategica.clone()),
            ("Obiettivo Strategico", s.obiettivo_strategico.clone()),
            ("Missione", s.missioni.join(", ")),
            ("Obiettivo Operativo", s.obiettivo_operativo.clone()),
        ] {
            ws.write_string_with_format(r, 0, etichetta, &grassetto)
                .map_err(interno)?;
            ws.write_string_with_format(r, 1, valore, &testo)
                .map_err(interno)?;
            r += 1;
        }
        r += 1;
        for (c, h) in super::allegato::documento::COLONNE_OBIETTIVI
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(r, c as u16, *h, &intestazione)
                .map_err(interno)?;
        }
        r += 1;
        for (n, o) in s.obiettivi.iter().enumerate() {
            let righe = std::iter::once((format!("{}", n + 1), &o.campi, true)).chain(
                o.fasi
                    .iter()
                    .enumerate()
                    .map(|(j, f)| (format!("{}.{}", n + 1, j + 1), &f.campi, false)),
            );
            for (num, c, obiettivo) in righe {
                let descr = if obiettivo {
                    c.descrizione.trim().to_string()
                } else {
                    format!("Fase: {}", c.descrizione.trim())
                };
                ws.write_string(r, 0, &num).map_err(interno)?;
                ws.write_string_with_format(r, 1, &descr, &testo)
                    .map_err(interno)?;
                if let Some(peso) = c.peso {
                    ws.write_number_with_format(r, 2, f64::from(peso.0) / 10_000.0, &percento)
                        .map_err(interno)?;
                }
                ws.write_string_with_format(r, 3, c.indicatori.trim(), &testo)
                    .map_err(interno)?;
                ws.write_string_with_format(r, 4, c.valori_attesi.trim(), &testo)
                    .map_err(interno)?;
                if let Some(d) = c.data_fine {
                    ws.write_string(r, 5, data_label(d)).map_err(interno)?;
                }
                r += 1;
            }
        }
        for (c, w) in [
            (0u16, 10.0),
            (1, 60.0),
            (2, 10.0),
            (3, 40.0),
            (4, 40.0),
            (5, 16.0),
        ] {
            ws.set_column_width(c, w).map_err(interno)?;
        }
    }
    if p.strutture.is_empty() {
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Il piano non ha ancora strutture.")
            .map_err(interno)?;
    }
    wb.save_to_buffer().map_err(interno)
}
