//! The two faces the attachment is set in (Titillium Web regular and bold, SIL OFL, bundled
//! in `app/pdf/`): glyph lookup and widths for line breaking, and the PDF objects that embed
//! them whole (Type0 / CIDFontType2, Identity-H, with a ToUnicode map so that text can be
//! searched and copied).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use lopdf::{dictionary, Document, Object, ObjectId, Stream, StringFormat};
use ttf_parser::{Face, GlyphId};

const REGOLARE: &[u8] = include_bytes!("../../../pdf/TitilliumWeb-Regular.ttf");
const GRASSETTO: &[u8] = include_bytes!("../../../pdf/TitilliumWeb-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stile {
    Normale,
    Grassetto,
}

impl Stile {
    pub fn risorsa(self) -> &'static str {
        match self {
            Stile::Normale => "F1",
            Stile::Grassetto => "F2",
        }
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
    dati: &'static [u8],
    face: Face<'static>,
    unita: f32,
}

fn carattere(i: usize) -> &'static Carattere {
    static C: OnceLock<[Carattere; 2]> = OnceLock::new();
    &C.get_or_init(|| {
        let mk = |nome, dati: &'static [u8]| {
            let face = Face::parse(dati, 0).expect("the bundled font parses");
            Carattere {
                nome,
                dati,
                unita: face.units_per_em() as f32,
                face,
            }
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

    fn em(&self, v: i16) -> i64 {
        (v as f32 * 1000.0 / self.unita).round() as i64
    }

    /// Embeds the whole font (the OFL allows it) with widths and a ToUnicode map for the
    /// glyphs used; returns the Type0 font's object id.
    pub fn incorpora(&self, doc: &mut Document, usati: &BTreeMap<u16, char>) -> ObjectId {
        let mut file = Stream::new(
            dictionary! { "Length1" => self.dati.len() as i64 },
            self.dati.to_vec(),
        );
        let _ = file.compress();
        let file_id = doc.add_object(file);
        let bbox = self.face.global_bounding_box();
        let descrittore = doc.add_object(dictionary! {
            "Type" => "FontDescriptor",
            "FontName" => self.nome,
            "Flags" => 32,
            "FontBBox" => vec![
                self.em(bbox.x_min).into(), self.em(bbox.y_min).into(),
                self.em(bbox.x_max).into(), self.em(bbox.y_max).into(),
            ],
            "ItalicAngle" => 0,
            "Ascent" => self.em(self.face.ascender()),
            "Descent" => self.em(self.face.descender()),
            "CapHeight" => self.em(self.face.capital_height().unwrap_or(self.face.ascender())),
            "StemV" => 80,
            "FontFile2" => file_id,
        });
        let mut larghezze: Vec<Object> = Vec::new();
        for g in usati.keys() {
            let w =
                self.face.glyph_hor_advance(GlyphId(*g)).unwrap_or(0) as f32 * 1000.0 / self.unita;
            larghezze.push((*g as i64).into());
            larghezze.push(vec![Object::Integer(w.round() as i64)].into());
        }
        let cid = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "BaseFont" => self.nome,
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::String(b"Adobe".to_vec(), StringFormat::Literal),
                "Ordering" => Object::String(b"Identity".to_vec(), StringFormat::Literal),
                "Supplement" => 0,
            },
            "FontDescriptor" => descrittore,
            "DW" => 500,
            "W" => larghezze,
            "CIDToGIDMap" => "Identity",
        });
        let mut cmap = Stream::new(dictionary! {}, to_unicode(usati).into_bytes());
        let _ = cmap.compress();
        let cmap = doc.add_object(cmap);
        doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => self.nome,
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![cid.into()],
            "ToUnicode" => cmap,
        })
    }
}

fn to_unicode(usati: &BTreeMap<u16, char>) -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let voci: Vec<_> = usati.iter().collect();
    for blocco in voci.chunks(100) {
        s.push_str(&format!("{} beginbfchar\n", blocco.len()));
        for (g, c) in blocco {
            let mut buf = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut buf)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            s.push_str(&format!("<{g:04X}> <{hex}>\n"));
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
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
    fn widths_grow_with_text_and_size() {
        let f = Stile::Normale.carattere();
        let a = f.larghezza("Obiettivo", 10.0);
        assert!(a > 30.0 && a < 60.0, "{a}");
        assert!((f.larghezza("Obiettivo", 20.0) - 2.0 * a).abs() < 0.01);
        assert!(Stile::Grassetto.carattere().larghezza("Obiettivo", 10.0) > a);
    }
}
