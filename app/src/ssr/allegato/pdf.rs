//! A small page layout engine for the attachment (A4 landscape): paragraphs that wrap, and
//! tables whose cells wrap, whose header repeats on every page, and whose rows move to the
//! next page when they do not fit, or split line by line when they are taller than a page.
//! Then the PDF itself: pages, text and fonts (embedded) written by printpdf, page
//! furniture ("pag. X di Y", "BOZZA"); then, with lopdf on printpdf's bytes, what PDF/A-2b
//! asks for and printpdf does not write: XMP metadata, an sRGB output intent, document ID.

use lopdf::{dictionary, Document, Object, Stream, StringFormat};
use printpdf::{
    Color, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfParseErrorSeverity, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
    TextRenderingMode, WindingOrder,
};

use std::sync::OnceLock;

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

fn rgb([r, g, b]: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn punto(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

fn rect(x: f32, y: f32, w: f32, h: f32, modo: PaintMode) -> Rect {
    Rect {
        mode: Some(modo),
        winding_order: Some(WindingOrder::NonZero),
        ..Rect::from_xywh(Pt(x), Pt(y), Pt(w), Pt(h))
    }
}

/// The pages being laid out, top to bottom.
pub struct Impaginato {
    pagine: Vec<Vec<Op>>,
    /// Where the next element's top goes (PDF coordinates, from the bottom).
    y: f32,
}

impl Default for Impaginato {
    fn default() -> Self {
        Self::new()
    }
}

impl Impaginato {
    pub fn new() -> Impaginato {
        Impaginato {
            pagine: vec![Vec::new()],
            y: ALTEZZA - MARGINE_ALTO,
        }
    }

    pub fn pagine(&self) -> usize {
        self.pagine.len()
    }

    pub fn nuova_pagina(&mut self) {
        self.pagine.push(Vec::new());
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

    fn op(&mut self, ops: impl IntoIterator<Item = Op>) {
        self.pagine.last_mut().expect("a page").extend(ops);
    }

    /// One line of text with its baseline at `y`.
    pub fn testo(&mut self, x: f32, y: f32, size: f32, stile: Stile, colore: Rgb, s: &str) {
        if s.is_empty() {
            return;
        }
        self.op([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(stile.risorsa()),
                size: Pt(size),
            },
            Op::SetFillColor { col: rgb(colore) },
            Op::SetTextCursor {
                pos: Point { x: Pt(x), y: Pt(y) },
            },
            Op::ShowText {
                items: vec![TextItem::Text(stile.carattere().mostrabile(s))],
            },
            Op::EndTextSection,
        ]);
    }

    fn rettangolo(&mut self, x: f32, y: f32, w: f32, h: f32, riempi: Option<Rgb>, bordo: bool) {
        if let Some(c) = riempi {
            self.op([
                Op::SetFillColor { col: rgb(c) },
                Op::DrawRectangle {
                    rectangle: rect(x, y, w, h, PaintMode::Fill),
                },
            ]);
        }
        if bordo {
            self.op([
                Op::SetOutlineColor {
                    col: rgb([0.45, 0.45, 0.47]),
                },
                Op::SetOutlineThickness { pt: Pt(0.5) },
                Op::DrawRectangle {
                    rectangle: rect(x, y, w, h, PaintMode::Stroke),
                },
            ]);
        }
    }

    fn tratto(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, spessore: f32, c: Rgb) {
        self.op([
            Op::SetOutlineColor { col: rgb(c) },
            Op::SetOutlineThickness { pt: Pt(spessore) },
            Op::DrawLine {
                line: Line {
                    points: vec![punto(x1, y1), punto(x2, y2)],
                    is_closed: false,
                },
            },
        ]);
    }

    pub fn linea(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, spessore: f32) {
        self.tratto(x1, y1, x2, y2, spessore, [0.2, 0.2, 0.2]);
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
            self.pagine = vec![corpo];
            if meta.bozza {
                // Over the content, outlined (no fill, no transparency: PDF/A), so that
                // the text under it stays readable.
                let w = Stile::Grassetto.carattere().larghezza("BOZZA", 150.0);
                let (c, s) = (0.6f32.cos(), 0.6f32.sin());
                let x = LARGHEZZA / 2.0 - w / 2.0 * c + 52.0 * s;
                let y = ALTEZZA / 2.0 - w / 2.0 * s - 52.0 * c;
                self.op([
                    Op::SaveGraphicsState,
                    Op::StartTextSection,
                    Op::SetFont {
                        font: PdfFontHandle::External(Stile::Grassetto.risorsa()),
                        size: Pt(150.0),
                    },
                    Op::SetTextRenderingMode {
                        mode: TextRenderingMode::Stroke,
                    },
                    Op::SetOutlineThickness { pt: Pt(1.2) },
                    Op::SetOutlineColor {
                        col: rgb([0.85, 0.55, 0.55]),
                    },
                    Op::SetTextMatrix {
                        matrix: TextMatrix::Raw([c, s, -s, c, x, y]),
                    },
                    Op::ShowText {
                        items: vec![TextItem::Text("BOZZA".into())],
                    },
                    Op::EndTextSection,
                    Op::RestoreGraphicsState,
                ]);
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
            let y = y_testa - 5.0;
            self.tratto(MARGINE_X, y, LARGHEZZA - MARGINE_X, y, 0.4, [0.6; 3]);
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
        scrivi(finali, meta)
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

use crate::ssr::testo_xml as xml;

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

fn scrivi(pagine: Vec<Vec<Op>>, meta: &Metadati) -> Vec<u8> {
    let mut pdf = PdfDocument::new(&meta.titolo);
    for stile in [Stile::Normale, Stile::Grassetto] {
        // printpdf names a font at random; a fixed name keeps the bytes reproducible.
        let id = pdf.add_font(stile.carattere().pdf());
        if let Some(f) = pdf.resources.fonts.map.remove(&id) {
            pdf.resources.fonts.map.insert(stile.risorsa(), f);
        }
    }
    let a4 = Rect::from_wh(Pt(LARGHEZZA), Pt(ALTEZZA));
    pdf.with_pages(
        pagine
            .into_iter()
            .map(|ops| PdfPage {
                media_box: a4.clone(),
                trim_box: a4.clone(),
                crop_box: a4.clone(),
                ..PdfPage::new(Mm(0.0), Mm(0.0), ops)
            })
            .collect(),
    );
    let opzioni = PdfSaveOptions {
        // Streams are compressed in `pdf_a`, where the faces' are made once.
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut avvisi = Vec::new();
    let grezzo = pdf.save(&opzioni, &mut avvisi);
    for a in avvisi
        .iter()
        .filter(|a| a.severity == PdfParseErrorSeverity::Error)
    {
        tracing::error!("printpdf: {}", a.msg);
    }
    debug_assert!(
        avvisi
            .iter()
            .all(|a| a.severity != PdfParseErrorSeverity::Error),
        "{avvisi:?}"
    );
    pdf_a(&grezzo, meta)
}

/// `bytes` compressed with zlib at its default level.
fn zlib(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(bytes).expect("writing to memory");
    z.finish().expect("writing to memory")
}

/// The bytes every document carries (the two faces, the sRGB profile), as they are and
/// compressed, made once per process.
fn costanti() -> &'static [(&'static [u8], Vec<u8>); 3] {
    static C: OnceLock<[(&'static [u8], Vec<u8>); 3]> = OnceLock::new();
    C.get_or_init(|| {
        [
            Stile::Normale.carattere().programma(),
            Stile::Grassetto.carattere().programma(),
            SRGB,
        ]
        .map(|b| (b, zlib(b)))
    })
}

/// The streams every document carries as the same bytes (the two faces and the sRGB
/// profile, compressed once per process): a final PDF kept in memory refers to them
/// instead of holding a copy (`approvati`).
pub fn flussi_comuni() -> [&'static [u8]; 3] {
    costanti()
        .each_ref()
        .map(|(_, compresso)| compresso.as_slice())
}

/// Every stream printpdf wrote, compressed: the embedded faces with the bytes compressed
/// once, the pages and the rest at zlib's default level.
fn comprimi(doc: &mut Document) {
    for obj in doc.objects.values_mut() {
        let Object::Stream(s) = obj else { continue };
        if s.dict.has(b"Filter") {
            continue;
        }
        let compresso = match costanti().iter().find(|(grezzo, _)| s.content == *grezzo) {
            Some((_, compresso)) => compresso.clone(),
            None => zlib(&s.content),
        };
        s.dict.set("Filter", "FlateDecode");
        s.set_content(compresso);
    }
}

/// printpdf's file, plus what PDF/A-2b asks for: XMP metadata, the sRGB output intent, the
/// document information and a document ID derived from the content.
fn pdf_a(grezzo: &[u8], meta: &Metadati) -> Vec<u8> {
    let mut doc = Document::load_mem(grezzo).expect("printpdf writes a readable PDF");
    doc.version = "1.7".to_string();
    comprimi(&mut doc);
    // XMP, uncompressed so that archive tools read it as it is.
    let metadati = doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp(meta).into_bytes(),
    ));
    let icc = costanti()[2].1.clone(); // the sRGB profile, compressed once
    let icc = doc.add_object(Stream::new(
        dictionary! { "N" => 3, "Filter" => "FlateDecode" },
        icc,
    ));
    let intento = dictionary! {
        "Type" => "OutputIntent",
        "S" => "GTS_PDFA1",
        "OutputConditionIdentifier" => Object::String(b"sRGB IEC61966-2.1".to_vec(), StringFormat::Literal),
        "Info" => Object::String(b"sRGB IEC61966-2.1".to_vec(), StringFormat::Literal),
        "DestOutputProfile" => icc,
    };
    let catalogo = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .expect("printpdf writes a catalog");
    let c = doc
        .get_object_mut(catalogo)
        .and_then(Object::as_dict_mut)
        .expect("printpdf writes a catalog");
    c.set("Metadata", metadati);
    c.set("OutputIntents", vec![intento.into()]);
    c.set(
        "Lang",
        Object::String(b"it-IT".to_vec(), StringFormat::Literal),
    );
    c.set(
        "ViewerPreferences",
        dictionary! { "DisplayDocTitle" => true },
    );
    let data = meta.creato.format("D:%Y%m%d%H%M%SZ").to_string();
    let info = dictionary! {
        "Title" => utf16(&meta.titolo),
        "Author" => utf16(&meta.autore),
        "Subject" => utf16(&meta.soggetto),
        "Creator" => Object::String(b"Obiettivi".to_vec(), StringFormat::Literal),
        "Producer" => Object::String(b"Obiettivi".to_vec(), StringFormat::Literal),
        "CreationDate" => Object::String(data.clone().into_bytes(), StringFormat::Literal),
        "ModDate" => Object::String(data.into_bytes(), StringFormat::Literal),
    };
    // printpdf's information dictionary (dates of 1970, random identifiers) is replaced.
    match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            doc.objects.insert(id, info.into());
        }
        Err(_) => {
            let id = doc.add_object(info);
            doc.trailer.set("Info", id);
        }
    }
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
        let bordi = |p: &Vec<Op>| {
            p.iter()
                .filter(|o| {
                    matches!(o, Op::DrawRectangle { rectangle } if rectangle.mode == Some(PaintMode::Stroke))
                })
                .count()
        };
        let n_header = imp.pagine.iter().filter(|p| bordi(p) >= 2).count();
        assert_eq!(n_header, imp.pagine());
        assert!(imp.spazio() > 0.0);
    }

    fn prova(bozza: bool) -> Vec<u8> {
        let mut imp = Impaginato::new();
        imp.paragrafo(
            "Attività e qualità – “obiettivo” € 10",
            11.0,
            Stile::Normale,
            Allinea::Sinistra,
        );
        imp.pdf(&Metadati {
            titolo: "Piano – prova".into(),
            autore: "Comune".into(),
            soggetto: "Allegato".into(),
            testata: "Testata".into(),
            piede: "Piede".into(),
            bozza,
            creato: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            id: [7; 16],
        })
    }

    #[test]
    fn the_file_carries_what_pdf_a_asks_for_and_is_reproducible() {
        let pdf = prova(true);
        assert_eq!(pdf, prova(true));
        let doc = Document::load_mem(&pdf).unwrap();
        assert_eq!(doc.version, "1.7");
        let cat = doc.catalog().unwrap();
        assert!(cat.get(b"Metadata").is_ok() && cat.get(b"OutputIntents").is_ok());
        let id = doc.trailer.get(b"ID").unwrap().as_array().unwrap();
        assert_eq!(id[0].as_str().unwrap(), &[7; 16]);
        assert_eq!(doc.get_pages().len(), 1);
        let testo = String::from_utf8_lossy(&pdf).into_owned();
        assert!(testo.contains("pdfaid:part>2<"));
        // Both faces embedded, with their ToUnicode maps.
        let font = doc
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0"))
            .filter(|d| d.get(b"ToUnicode").is_ok())
            .count();
        assert_eq!(font, 2);
        // Every stream compressed but the XMP; the faces are the bundled files, whole.
        let mut facce = Vec::new();
        for s in doc.objects.values().filter_map(|o| o.as_stream().ok()) {
            let xmp = s.dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"Metadata");
            assert_eq!(s.dict.get(b"Filter").is_ok(), !xmp, "{:?}", s.dict);
            if s.dict.has(b"Length1") {
                facce.push(s.decompressed_content().unwrap());
            }
        }
        let attese = [Stile::Normale, Stile::Grassetto].map(|s| s.carattere().programma());
        assert_eq!(facce.len(), 2);
        assert!(facce.iter().all(|f| attese.contains(&f.as_slice())));
        assert_ne!(facce[0], facce[1]);
    }
}
