//! The two faces the attachment is set in (Titillium Web regular and bold, SIL OFL, bundled
//! in `app/pdf/`): glyph lookup and widths for line breaking (ttf-parser), and the faces as
//! printpdf embeds them (whole, Type0 / CIDFontType2, Identity-H, with a ToUnicode map so
//! that text can be searched and copied).

use std::sync::OnceLock;

use printpdf::{FontId, ParsedFont};
use ttf_parser::{Face, GlyphId};

const REGOLARE: &[u8] = include_bytes!("../../../pdf/TitilliumWeb-Regular.ttf");
const GRASSETTO: &[u8] = include_bytes!("../../../pdf/TitilliumWeb-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stile {
    Normale,
    Grassetto,
}

impl Stile {
    /// The font's resource name in the PDF (fixed, so that the same document gives the
    /// same bytes).
    pub fn risorsa(self) -> FontId {
        FontId(
            match self {
                Stile::Normale => "F1",
                Stile::Grassetto => "F2",
            }
            .to_string(),
        )
    }
    pub fn carattere(self) -> &'static Carattere {
        match self {
            Stile::Normale => carattere(0),
            Stile::Grassetto => carattere(1),
        }
    }
}

pub struct Carattere {
    pub nome: &'static str,
    face: Face<'static>,
    unita: f32,
    /// The face as printpdf embeds it.
    pdf: ParsedFont,
    /// The font program: the file as bundled, which the PDF embeds whole.
    programma: &'static [u8],
    /// `glifo` of the characters below `TABELLA`, looked up once: the cmap lookup
    /// ran for every character measured and drawn.
    glifi: Vec<(char, u16, f32)>,
}

/// The characters whose glyphs are kept in a table (Latin, punctuation, €); none of them
/// is a surrogate, so a character's code is its index.
const TABELLA: char = '\u{2200}';

fn carattere(i: usize) -> &'static Carattere {
    static C: OnceLock<[Carattere; 2]> = OnceLock::new();
    &C.get_or_init(|| {
        let mk = |nome: &'static str, dati: &'static [u8]| {
            let face = Face::parse(dati, 0).expect("the bundled font parses");
            let mut pdf =
                ParsedFont::from_bytes(dati, 0, &mut Vec::new()).expect("the bundled font parses");
            // The PostScript name, as /BaseFont (printpdf would use the resource name).
            pdf.font_name = Some(nome.to_string());
            let mut c = Carattere {
                nome,
                unita: face.units_per_em() as f32,
                face,
                pdf,
                programma: dati,
                glifi: Vec::new(),
            };
            c.glifi = ('\0'..TABELLA).map(|ch| c.cerca(ch)).collect();
            c
        };
        [
            mk("TitilliumWeb-Regular", REGOLARE),
            mk("TitilliumWeb-Bold", GRASSETTO),
        ]
    })[i]
}

/// Characters the faces lack, written with one they have.
fn sostituto(c: char) -> char {
    match c {
        '\t' | '\u{a0}' | '\u{2002}'..='\u{200a}' | '\u{202f}' => ' ',
        '\u{2010}' | '\u{2011}' | '\u{2012}' => '-',
        '\u{2015}' => '–',
        '\u{2032}' => '’',
        '\u{2033}' => '”',
        '\u{25cf}' | '\u{2219}' => '•',
        _ => '?',
    }
}

impl Carattere {
    /// The glyph for `c` (or for a stand-in) and its advance in thousandths of an em.
    pub fn glifo(&self, c: char) -> (char, u16, f32) {
        self.glifi
            .get(c as usize)
            .copied()
            .unwrap_or_else(|| self.cerca(c))
    }

    fn cerca(&self, c: char) -> (char, u16, f32) {
        let (c, g) = match self.face.glyph_index(c) {
            Some(g) => (c, g),
            None => {
                let s = sostituto(c);
                (s, self.face.glyph_index(s).unwrap_or(GlyphId(0)))
            }
        };
        let w = self.face.glyph_hor_advance(g).unwrap_or(0) as f32 * 1000.0 / self.unita;
        (c, g.0, w)
    }

    /// Width of `s` at `size` points.
    pub fn larghezza(&self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.glifo(c).2).sum::<f32>() * size / 1000.0
    }

    /// The font program as the PDF embeds it.
    pub fn programma(&self) -> &'static [u8] {
        self.programma
    }

    /// The face for `PdfDocument::add_font`.
    pub fn pdf(&self) -> &ParsedFont {
        &self.pdf
    }

    /// `s` as the face will show it: each character the face lacks replaced by its
    /// stand-in.
    pub fn mostrabile(&self, s: &str) -> String {
        s.chars().map(|c| self.glifo(c).0).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_of_the_reference_has_its_glyph() {
        for stile in [Stile::Normale, Stile::Grassetto] {
            let f = stile.carattere();
            for c in "àèéìòùÀÈÉÌÒÙ’‘“”–—€°·«»".chars() {
                let (usato, g, w) = f.glifo(c);
                assert_eq!(usato, c, "{c} in {}", f.nome);
                assert!(g != 0 && w > 0.0, "{c} in {}", f.nome);
            }
        }
        assert_eq!(Stile::Normale.carattere().glifo('\u{2011}').0, '-');
    }

    #[test]
    fn printpdf_picks_the_glyphs_the_widths_were_measured_on() {
        for stile in [Stile::Normale, Stile::Grassetto] {
            let f = stile.carattere();
            for c in "Aa0 àèéìòùÀÈÉÌÒÙ’‘“”–—€°·«»?".chars() {
                let (_, g, _) = f.glifo(c);
                assert_eq!(f.pdf().lookup_glyph_index(c as u32), Some(g), "{c}");
            }
        }
        assert_eq!(Stile::Normale.carattere().mostrabile("a\u{2011}b"), "a-b");
    }

    #[test]
    fn the_table_gives_what_the_face_says() {
        for stile in [Stile::Normale, Stile::Grassetto] {
            let f = stile.carattere();
            for c in (0..0x2400).filter_map(char::from_u32) {
                assert_eq!(f.glifo(c), f.cerca(c), "{c:?}");
            }
            assert_eq!(f.glifo('€').0, '€');
        }
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let f = Stile::Normale.carattere();
        let a = f.larghezza("Obiettivo", 10.0);
        assert!(a > 30.0 && a < 60.0, "{a}");
        assert!((f.larghezza("Obiettivo", 20.0) - 2.0 * a).abs() < 0.01);
        assert!(Stile::Grassetto.carattere().larghezza("Obiettivo", 10.0) > a);
    }
}
