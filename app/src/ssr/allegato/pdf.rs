//! A small page layout engine for the attachment (A4 landscape): paragraphs that wrap, and
//! tables whose cells wrap, whose header repeats on every page, and whose rows move to the
//! next page when they do not fit, or split line by line when they are taller than a page.
//! Then the PDF itself (lopdf): fonts embedded, page furniture ("pag. X di Y", "BOZZA"),
//! and what PDF/A-2b asks for: XMP metadata, an sRGB output intent, document ID.

use std::collections::BTreeMap;

use lopdf::{dictionary, Document, Object, Stream, StringFormat};

use super::font::Stile;

pub const LARGHEZZA: f32 = 841.89;
pub const ALTEZZA: f32 = 595.28;
pub const MARGINE_X: f32 = 40.0;
const MARGINE_ALTO: f32 = 54.0;
const MARGINE_BASSO: f32 = 48.0;
pub const UTILE: f32 = LARGHEZZA - 2.0 * MARGINE_X;
const PAD: f32 = 3.5;

const SRGB: &[u8] = include_bytes!("../../../pdf/sRGB.icc");

pub type Rgb = [f32; 3];
pub const NERO: Rgb = [0.0, 0.0, 0.0];
pub const GRIGIO: Rgb = [0.38, 0.38, 0.4];
pub const BLU: Rgb = [0.0, 0.2, 0.4];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allinea {
    Sinistra,
    Centro,
}

#[derive(Debug, Clone)]
pub struct Cella {
    pub testo: String,
    pub stile: Stile,
    pub allinea: Allinea,
    pub sfondo: Option<Rgb>,
}

impl Cella {
    pub fn new(testo: impl Into<String>) -> Cella {
        Cella {
            testo: testo.into(),
            stile: Stile::Normale,
            allinea: Allinea::Sinistra,
            sfondo: None,
        }
    }
    pub fn grassetto(mut self) -> Cella {
        self.stile = Stile::Grassetto;
        self
    }
    pub fn centro(mut self) -> Cella {
        self.allinea = Allinea::Centro;
        self
    }
    pub fn sfondo(mut self, c: Rgb) -> Cella {
        self.sfondo = Some(c);
        self
    }
}

/// A table being laid out: its columns and the header repeated on each page.
pub struct Tabella {
    pub colonne: Vec<f32>,
    pub intestazione: Option<Vec<Cella>>,
    pub corpo: f32,
}

/// Splits `testo` into lines no wider than `larghezza`: paragraphs at '\n', words at spaces,
/// a word wider than the line at characters.
pub fn a_capo(testo: &str, stile: Stile, size: f32, larghezza: f32) -> Vec<String> {
    let f = stile.carattere();
    let spazio = f.larghezza(" ", size);
    let mut out = Vec::new();
    for par in testo.split('\n') {
        let mut riga = String::new();
        let mut w = 0.0;
        for parola in par.split_whitespace() {
            let pw = f.larghezza(parola, size);
            if !riga.is_empty() && w + spazio + pw <= larghezza {
                riga.push(' ');
                riga.push_str(parola);
                w += spazio + pw;
                continue;
            }
            if !riga.is_empty() {
                out.push(std::mem::take(&mut riga));
            }
            if pw <= larghezza {
                riga.push_str(parola);
                w = pw;
            } else {
                // A word longer than the line (a URL, a row of underscores): cut it.
                w = 0.0;
                for c in parola.chars() {
                    let cw = f.larghezza(c.encode_utf8(&mut [0; 4]), size);
                    if w + cw > larghezza && !riga.is_empty() {
                        out.push(std::mem::take(&mut riga));
                        w = 0.0;
                    }
                    riga.push(c);
                    w += cw;
                }
            }
        }
        out.push(riga);
    }
    // Trailing empty paragraphs add nothing to a cell.
    while out.len() > 1 && out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

fn interlinea(size: f32) -> f32 {
    size * 1.22
}

/// The pages being laid out, top to bottom.
pub struct Impaginato {
    pagine: Vec<String>,
    /// Where the next element's top goes (PDF coordinates, from the bottom).
    y: f32,
    glifi: [BTreeMap<u16, char>; 2],
}

impl Default for Impaginato {
    fn default() -> Self {
        Self::new()
    }
}

impl Impaginato {
    pub fn new() -> Impaginato {
        Impaginato {
            pagine: vec![String::new()],
            y: ALTEZZA - MARGINE_ALTO,
            glifi: [BTreeMap::new(), BTreeMap::new()],
        }
    }

    pub fn pagine(&self) -> usize {
        self.pagine.len()
    }

    pub fn nuova_pagina(&mut self) {
        self.pagine.push(String::new());
        self.y = ALTEZZA - MARGINE_ALTO;
    }

    /// Vertical space left on this page.
    pub fn spazio(&self) -> f32 {
        self.y - MARGINE_BASSO
    }

    pub fn cursore(&self) -> f32 {
        self.y
    }

    pub fn in_cima(&self) -> bool {
        self.y >= ALTEZZA - MARGINE_ALTO - 0.01
    }

    pub fn scendi(&mut self, dy: f32) {
        self.y -= dy;
    }

    /// Moves to a new page unless `altezza` fits on this one.
    pub fn tieni_insieme(&mut self, altezza: f32) {
        if altezza > self.spazio() && !self.in_cima() {
            self.nuova_pagina();
        }
    }

    fn op(&mut self, s: &str) {
        self.pagine.last_mut().expect("a page").push_str(s);
    }

    /// Glyph ids of `s` as a hex string, noting the glyphs used.
    fn codifica(&mut self, s: &str, stile: Stile) -> String {
        let f = stile.carattere();
        let mut hex = String::with_capacity(s.len() * 4);
        for c in s.chars() {
            let (c, g, _) = f.glifo(c);
            self.glifi[stile as usize].entry(g).or_insert(c);
            hex.push_str(&format!("{g:04X}"));
        }
        hex
    }

    /// One line of text with its baseline at `y`.
    pub fn testo(&mut self, x: f32, y: f32, size: f32, stile: Stile, colore: Rgb, s: &str) {
        if s.is_empty() {
            return;
        }
        let hex = self.codifica(s, stile);
        let [r, g, b] = colore;
        self.op(&format!(
            "BT /{} {size} Tf {r:.3} {g:.3} {b:.3} rg {x:.2} {y:.2} Td <{hex}> Tj ET\n",
            stile.risorsa()
        ));
    }

    fn rettangolo(&mut self, x: f32, y: f32, w: f32, h: f32, riempi: Option<Rgb>, bordo: bool) {
        if let Some([r, g, b]) = riempi {
            self.op(&format!(
                "{r:.3} {g:.3} {b:.3} rg {x:.2} {y:.2} {w:.2} {h:.2} re f\n"
            ));
        }
        if bordo {
            self.op(&format!(
                "0.45 0.45 0.47 RG 0.5 w {x:.2} {y:.2} {w:.2} {h:.2} re S\n"
            ));
        }
    }

    pub fn linea(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, spessore: f32) {
        self.op(&format!(
            "0.2 0.2 0.2 RG {spessore} w {x1:.2} {y1:.2} m {x2:.2} {y2:.2} l S\n"
        ));
    }

    /// A paragraph across `larghezza` from `x`, moving to new pages as needed.
    #[allow(clippy::too_many_arguments)]
    pub fn paragrafo_in(
        &mut self,
        x: f32,
        larghezza: f32,
        testo: &str,
        size: f32,
        stile: Stile,
        allinea: Allinea,
        colore: Rgb,
    ) {
        let h = interlinea(size);
        for riga in a_capo(testo, stile, size, larghezza) {
            if h > self.spazio() {
                self.nuova_pagina();
            }
            let dx = match allinea {
                Allinea::Sinistra => 0.0,
                Allinea::Centro => {
                    (larghezza - stile.carattere().larghezza(&riga, size)).max(0.0) / 2.0
                }
            };
            self.testo(x + dx, self.y - size, size, stile, colore, &riga);
            self.y -= h;
        }
    }

    pub fn paragrafo(&mut self, testo: &str, size: f32, stile: Stile, allinea: Allinea) {
        self.paragrafo_in(MARGINE_X, UTILE, testo, size, stile, allinea, NERO);
    }

    /// Height a paragraph will take.
    pub fn altezza_paragrafo(testo: &str, size: f32, stile: Stile, larghezza: f32) -> f32 {
        a_capo(testo, stile, size, larghezza).len() as f32 * interlinea(size)
    }

    fn linee(t: &Tabella, celle: &[Cella]) -> Vec<Vec<String>> {
        celle
            .iter()
            .zip(&t.colonne)
            .map(|(c, w)| {
                let l = a_capo(&c.testo, c.stile, t.corpo, w - 2.0 * PAD);
                if l.len() == 1 && l[0].is_empty() {
                    Vec::new()
                } else {
                    l
                }
            })
            .collect()
    }

    fn altezza(t: &Tabella, linee: &[Vec<String>]) -> f32 {
        linee.iter().map(Vec::len).max().unwrap_or(0).max(1) as f32 * interlinea(t.corpo)
            + 2.0 * PAD
    }

    /// Draws a row of exactly the lines given, `altezza` tall, at the cursor.
    fn disegna(&mut self, t: &Tabella, celle: &[Cella], linee: &[Vec<String>], altezza: f32) {
        let top = self.y;
        let mut x = MARGINE_X;
        let il = interlinea(t.corpo);
        for ((c, w), righe) in celle.iter().zip(&t.colonne).zip(linee) {
            self.rettangolo(x, top - altezza, *w, altezza, c.sfondo, true);
            for (i, r) in righe.iter().enumerate() {
                let dx = match c.allinea {
                    Allinea::Sinistra => PAD,
                    Allinea::Centro => {
                        (w - c.stile.carattere().larghezza(r, t.corpo)).max(0.0) / 2.0
                    }
                };
                let base = top - PAD - t.corpo * 0.95 - i as f32 * il;
                self.testo(x + dx, base, t.corpo, c.stile, NERO, r);
            }
            x += w;
        }
        self.y -= altezza;
    }

    fn intestazione(&mut self, t: &Tabella) {
        if let Some(h) = &t.intestazione {
            let linee = Self::linee(t, h);
            let alt = Self::altezza(t, &linee);
            self.disegna(t, h, &linee, alt);
        }
    }

    /// Starts a table: its header, on a new page if not even one line of body fits under it.
    pub fn inizia_tabella(&mut self, t: &Tabella) {
        let h = t
            .intestazione
            .as_ref()
            .map(|h| Self::altezza(t, &Self::linee(t, h)))
            .unwrap_or(0.0);
        self.tieni_insieme(h + 3.0 * interlinea(t.corpo) + 2.0 * PAD);
        self.intestazione(t);
    }

    /// One body row: on this page if it fits, else on the next (header repeated); a row
    /// taller than a whole page is split line by line across pages.
    pub fn riga(&mut self, t: &Tabella, celle: &[Cella]) {
        let il = interlinea(t.corpo);
        let mut linee = Self::linee(t, celle);
        let testata = t
            .intestazione
            .as_ref()
            .map(|h| Self::altezza(t, &Self::linee(t, h)))
            .unwrap_or(0.0);
        let pagina_intera = ALTEZZA - MARGINE_ALTO - MARGINE_BASSO - testata;
        loop {
            let h = Self::altezza(t, &linee);
            if h <= self.spazio() + 0.01 {
                self.disegna(t, celle, &linee, h);
                return;
            }
            let entrano = ((self.spazio() - 2.0 * PAD) / il).floor().max(0.0) as usize;
            if h <= pagina_intera || entrano < 2 {
                self.nuova_pagina();
                self.intestazione(t);
                continue;
            }
            let (prima, resto): (Vec<_>, Vec<_>) = linee
                .into_iter()
                .map(|mut l| {
                    let r = l.split_off(l.len().min(entrano));
                    (l, r)
                })
                .unzip();
            let hp = Self::altezza(t, &prima);
            self.disegna(t, celle, &prima, hp);
            linee = resto;
            self.nuova_pagina();
            self.intestazione(t);
        }
    }

    /// Fills in every page's furniture (running head, "pag. X di Y", "BOZZA") and writes
    /// the PDF.
    pub fn pdf(mut self, meta: &Metadati) -> Vec<u8> {
        let n = self.pagine.len();
        let corpi = std::mem::take(&mut self.pagine);
        let mut finali = Vec::with_capacity(n);
        for (i, corpo) in corpi.into_iter().enumerate() {
            self.pagine = vec![String::new()];
            self.op(&corpo);
            if meta.bozza {
                // Over the content, outlined (no fill, no transparency: PDF/A), so that
                // the text under it stays readable.
                let hex = self.codifica("BOZZA", Stile::Grassetto);
                let w = Stile::Grassetto.carattere().larghezza("BOZZA", 150.0);
                let (c, s) = (0.6f32.cos(), 0.6f32.sin());
                let x = LARGHEZZA / 2.0 - w / 2.0 * c + 52.0 * s;
                let y = ALTEZZA / 2.0 - w / 2.0 * s - 52.0 * c;
                self.op(&format!(
                    "q BT /F2 150 Tf 1 Tr 1.2 w 0.85 0.55 0.55 RG {c:.4} {s:.4} {ms:.4} {c:.4} {x:.2} {y:.2} Tm <{hex}> Tj ET Q\n",
                    ms = -s
                ));
            }
            let y_testa = ALTEZZA - 30.0;
            self.testo(
                MARGINE_X,
                y_testa,
                8.0,
                Stile::Normale,
                GRIGIO,
                &meta.testata,
            );
            if meta.bozza {
                let s = "BOZZA – documento non approvato";
                let w = Stile::Grassetto.carattere().larghezza(s, 9.0);
                self.testo(
                    LARGHEZZA - MARGINE_X - w,
                    y_testa,
                    9.0,
                    Stile::Grassetto,
                    [0.7, 0.1, 0.1],
                    s,
                );
            }
            self.op(&format!(
                "0.6 0.6 0.6 RG 0.4 w {MARGINE_X} {y} m {} {y} l S\n",
                LARGHEZZA - MARGINE_X,
                y = y_testa - 5.0
            ));
            self.testo(MARGINE_X, 26.0, 8.0, Stile::Normale, GRIGIO, &meta.piede);
            let pag = format!("pag. {} di {n}", i + 1);
            let w = Stile::Normale.carattere().larghezza(&pag, 8.0);
            self.testo(
                LARGHEZZA - MARGINE_X - w,
                26.0,
                8.0,
                Stile::Normale,
                GRIGIO,
                &pag,
            );
            finali.push(self.pagine.pop().unwrap_or_default());
        }
        scrivi(finali, &self.glifi, meta)
    }
}

/// What the document says about itself.
pub struct Metadati {
    pub titolo: String,
    pub autore: String,
    pub soggetto: String,
    pub testata: String,
    pub piede: String,
    pub bozza: bool,
    pub creato: chrono::DateTime<chrono::Utc>,
    /// The document ID (PDF/A asks for one): derived from the content.
    pub id: [u8; 16],
}

fn utf16(s: &str) -> Object {
    let mut b = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        b.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(b, StringFormat::Hexadecimal)
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn xmp(meta: &Metadati) -> String {
    let data = meta.creato.format("%Y-%m-%dT%H:%M:%SZ");
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n\
<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n\
<dc:format>application/pdf</dc:format>\n\
<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{t}</rdf:li></rdf:Alt></dc:title>\n\
<dc:creator><rdf:Seq><rdf:li>{a}</rdf:li></rdf:Seq></dc:creator>\n\
<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{s}</rdf:li></rdf:Alt></dc:description>\n\
<dc:language><rdf:Bag><rdf:li>it-IT</rdf:li></rdf:Bag></dc:language>\n\
<xmp:CreateDate>{data}</xmp:CreateDate>\n<xmp:ModifyDate>{data}</xmp:ModifyDate>\n\
<xmp:MetadataDate>{data}</xmp:MetadataDate>\n<xmp:CreatorTool>Obiettivi</xmp:CreatorTool>\n\
<pdf:Producer>Obiettivi</pdf:Producer>\n\
</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>",
        t = xml(&meta.titolo),
        a = xml(&meta.autore),
        s = xml(&meta.soggetto),
    )
}

fn scrivi(pagine: Vec<String>, glifi: &[BTreeMap<u16, char>; 2], meta: &Metadati) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let f1 = Stile::Normale.carattere().incorpora(&mut doc, &glifi[0]);
    let f2 = Stile::Grassetto.carattere().incorpora(&mut doc, &glifi[1]);
    let risorse = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => f1, "F2" => f2 },
    });
    let radice_pagine = doc.new_object_id();
    let mut figli: Vec<Object> = Vec::new();
    for contenuto in pagine {
        let mut s = Stream::new(dictionary! {}, contenuto.into_bytes());
        let _ = s.compress();
        let c = doc.add_object(s);
        let p = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => radice_pagine,
            "MediaBox" => vec![0.into(), 0.into(), LARGHEZZA.into(), ALTEZZA.into()],
            "Resources" => risorse,
            "Contents" => c,
        });
        figli.push(p.into());
    }
    let conta = figli.len() as i64;
    doc.set_object(
        radice_pagine,
        dictionary! { "Type" => "Pages", "Kids" => figli, "Count" => conta },
    );
    // XMP, uncompressed so that archive tools read it as it is.
    let metadati = doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp(meta).into_bytes(),
    ));
    let mut icc = Stream::new(dictionary! { "N" => 3 }, SRGB.to_vec());
    let _ = icc.compress();
    let icc = doc.add_object(icc);
    let intento = dictionary! {
        "Type" => "OutputIntent",
        "S" => "GTS_PDFA1",
        "OutputConditionIdentifier" => Object::String(b"sRGB IEC61966-2.1".to_vec(), StringFormat::Literal),
        "Info" => Object::String(b"sRGB IEC61966-2.1".to_vec(), StringFormat::Literal),
        "DestOutputProfile" => icc,
    };
    let catalogo = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => radice_pagine,
        "Metadata" => metadati,
        "OutputIntents" => vec![intento.into()],
        "Lang" => Object::String(b"it-IT".to_vec(), StringFormat::Literal),
        "ViewerPreferences" => dictionary! { "DisplayDocTitle" => true },
    });
    let data = meta.creato.format("D:%Y%m%d%H%M%SZ").to_string();
    let info = doc.add_object(dictionary! {
        "Title" => utf16(&meta.titolo),
        "Author" => utf16(&meta.autore),
        "Subject" => utf16(&meta.soggetto),
        "Creator" => Object::String(b"Obiettivi".to_vec(), StringFormat::Literal),
        "Producer" => Object::String(b"Obiettivi".to_vec(), StringFormat::Literal),
        "CreationDate" => Object::String(data.clone().into_bytes(), StringFormat::Literal),
        "ModDate" => Object::String(data.into_bytes(), StringFormat::Literal),
    });
    doc.trailer.set("Root", catalogo);
    doc.trailer.set("Info", info);
    let id = Object::String(meta.id.to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![id.clone(), id]);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("writing to memory");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_at_words_and_keep_paragraphs() {
        let l = a_capo(
            "uno due tre quattro cinque sei sette otto\nnove",
            Stile::Normale,
            10.0,
            60.0,
        );
        assert!(l.len() >= 4, "{l:?}");
        assert_eq!(l.last().unwrap(), "nove");
        for r in &l {
            assert!(Stile::Normale.carattere().larghezza(r, 10.0) <= 60.0, "{r}");
        }
        let lungo = a_capo(&"_".repeat(200), Stile::Normale, 10.0, 100.0);
        assert!(lungo.len() > 1);
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_and_the_header_repeats() {
        let mut imp = Impaginato::new();
        let t = Tabella {
            colonne: vec![100.0, 300.0],
            intestazione: Some(vec![Cella::new("N°"), Cella::new("Testo")]),
            corpo: 9.0,
        };
        imp.inizia_tabella(&t);
        let lungo = (0..120)
            .map(|i| format!("riga {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        imp.riga(&t, &[Cella::new("1"), Cella::new(lungo)]);
        assert!(imp.pagine() >= 3, "{}", imp.pagine());
        // The header is on every page.
        let n_header = imp
            .pagine
            .iter()
            .filter(|p| p.matches(" re S").count() >= 2)
            .count();
        assert_eq!(n_header, imp.pagine());
        assert!(imp.spazio() > 0.0);
    }
}
