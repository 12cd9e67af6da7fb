//! The publication bundle for Amministrazione Trasparente (D.Lgs 33/2013 art. 10 c.8 lett.
//! b): one zip with the approved plan's PDF/A, the adopted Relazione's PDF/A, the signed
//! validation document (once there is one), the results as open data (CSV, UTF-8, with
//! its columns described in LEGGIMI.txt), and SHA256SUMS, the manifest of every file's
//! SHA-256 (as `sha256sum -c` reads it).

use std::io::Write;

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

use crate::domain::smvp::numero;
use crate::error::{AppError, AppResult};
use crate::model::ChiusuraView;

/// The columns of the results' CSV, with what each holds.
pub const COLONNE: [(&str, &str); 14] = [
    ("anno", "Anno del piano"),
    ("struttura", "Nome della struttura"),
    ("responsabile", "Responsabile della struttura"),
    ("obiettivo", "Numero dell'obiettivo nella struttura"),
    ("descrizione", "Descrizione dell'obiettivo"),
    ("peso", "Peso dell'obiettivo nella struttura, in % (vuoto se non indicato)"),
    ("metodo", "Metodo di misurazione: fasi, indicatori o misto"),
    ("valori_attesi", "Valori attesi, come scritti nel piano"),
    ("valore_effettivo", "Valore effettivo rilevato a fine anno, come scritto dal responsabile"),
    ("punteggio_calcolato", "Raggiungimento calcolato con il SMVP, in % con il punto decimale (vuoto se non calcolabile)"),
    ("punteggio_finale", "Raggiungimento che conta, dopo le decisioni del Nucleo, in % (vuoto se non valutabile)"),
    ("esito", "Fascia del punteggio finale secondo il SMVP"),
    ("decisione_nucleo", "Ultima decisione del Nucleo di Valutazione: punteggio, non_valutabile o vuoto"),
    ("motivo_nucleo", "Motivazione della decisione del Nucleo"),
];

/// The results as CSV: UTF-8, comma-separated, one row per objective.
pub fn csv(c: &ChiusuraView) -> AppResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLONNE.iter().map(|c| c.0))
        .map_err(AppError::interno)?;
    let profilo = c.testata.as_ref().map(|t| &t.profilo);
    let punto = |v: f64| numero(v).replace(',', ".");
    for s in &c.strutture {
        for o in &s.obiettivi {
            let decisione = o.rettifiche.last().filter(|r| r.tipo != "annullata");
            w.write_record([
                c.anno.to_string(),
                s.nome.trim().to_string(),
                s.responsabile.trim().to_string(),
                o.numero.clone(),
                o.descrizione.trim().to_string(),
                o.peso
                    .map(|p| p.number().replace(',', "."))
                    .unwrap_or_default(),
                o.metodo.codice().to_string(),
                o.valori_attesi.trim().to_string(),
                o.valore_effettivo.trim().to_string(),
                o.calcolato
                    .as_ref()
                    .map(|p| punto(p.valore))
                    .unwrap_or_default(),
                o.finale.map(punto).unwrap_or_default(),
                match (o.finale, profilo) {
                    (Some(v), Some(p)) => p.etichetta(v).to_string(),
                    _ if o.non_valutabile => "Non valutabile".into(),
                    _ => String::new(),
                },
                decisione.map(|r| r.tipo.clone()).unwrap_or_default(),
                decisione
                    .map(|r| r.motivo.trim().to_string())
                    .unwrap_or_default(),
            ])
            .map_err(AppError::interno)?;
        }
    }
    w.into_inner().map_err(AppError::interno)
}

/// What LEGGIMI.txt says.
fn leggimi(ente: &str, anno: i32, file: &[(String, Vec<u8>)], csv_nome: &str) -> String {
    let mut s = format!(
        "{ente} – Piano degli Obiettivi e Relazione sulla Performance {anno}\n\
         Documenti per Amministrazione Trasparente (D.Lgs. 33/2013, art. 10, comma 8, lett. b).\n\n\
         File:\n"
    );
    for (nome, _) in file {
        s.push_str(&format!("- {nome}\n"));
    }
    s.push_str(&format!(
        "\nL'impronta SHA-256 di ogni file è in SHA256SUMS (verificabile con `sha256sum -c SHA256SUMS`).\n\n\
         Colonne di {csv_nome} (CSV, UTF-8, separatore virgola, una riga per obiettivo):\n"
    ));
    for (c, d) in COLONNE {
        s.push_str(&format!("- {c}: {d}\n"));
    }
    s
}

/// The zip: `file` (name, bytes), LEGGIMI.txt, and SHA256SUMS of them all.
pub fn zip(
    ente: &str,
    anno: i32,
    mut file: Vec<(String, Vec<u8>)>,
    csv_nome: &str,
) -> AppResult<Vec<u8>> {
    let testo = leggimi(ente, anno, &file, csv_nome);
    file.push(("LEGGIMI.txt".into(), testo.into_bytes()));
    let somme: String = file
        .iter()
        .map(|(nome, dati)| format!("{}  {nome}\n", hex::encode(Sha256::digest(dati))))
        .collect();
    file.push(("SHA256SUMS".into(), somme.into_bytes()));
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opzioni = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (nome, dati) in &file {
        z.start_file(nome.as_str(), opzioni)
            .map_err(AppError::interno)?;
        z.write_all(dati).map_err(AppError::interno)?;
    }
    Ok(z.finish().map_err(AppError::interno)?.into_inner())
}
