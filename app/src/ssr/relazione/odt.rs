//! The Relazione as OpenDocument text (ODT, the PA's open format: ISO/IEC 26300), for
//! the ente to edit further: the same chapters as the PDF, written as a template filled in
//! (the XML of the document's body) and zipped as the format asks (`mimetype` first,
//! stored).

use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

use super::documento::{capitoli, Blocco};
use super::Dati;
use crate::error::{AppError, AppResult};

const MIME: &str = "application/vnd.oasis.opendocument.text";

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

const STILI: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
 <office:styles>
  <style:default-style style:family="paragraph"><style:text-properties style:font-name="Titillium Web" fo:font-size="10.5pt" fo:language="it" fo:country="IT"/></style:default-style>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1"><style:text-properties fo:font-size="15pt" fo:font-weight="bold" fo:color="#003366"/></style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2"><style:text-properties fo:font-size="12pt" fo:font-weight="bold"/></style:style>
  <style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="17pt" fo:font-weight="bold"/></style:style>
 </office:styles>
</office:document-styles>
"##;

/// Text as XML character data.
fn xml(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// A paragraph for each line.
fn paragrafi(s: &str) -> String {
    s.lines()
        .map(|l| format!("<text:p>{}</text:p>", xml(l)))
        .collect()
}

/// The document's body: the title lines, then the blocks.
fn corpo(titolo: [&str; 3], blocchi: Vec<Blocco>) -> String {
    let mut out = format!(
        "<text:p text:style-name=\"Title\">{}</text:p><text:p text:style-name=\"Title\">{}</text:p><text:p>{}</text:p>",
        xml(titolo[0]),
        xml(titolo[1]),
        xml(titolo[2])
    );
    let mut n = 0;
    for b in blocchi {
        match b {
            Blocco::Capitolo(t) => out.push_str(&format!(
                "<text:h text:style-name=\"Heading_20_1\" text:outline-level=\"1\">{}</text:h>",
                xml(&t)
            )),
            Blocco::Sezione(t) => out.push_str(&format!(
                "<text:h text:style-name=\"Heading_20_2\" text:outline-level=\"2\">{}</text:h>",
                xml(&t)
            )),
            Blocco::Testo(t) => out.push_str(&paragrafi(&t)),
            Blocco::Tabella(_, testata, righe) => {
                n += 1;
                out.push_str(&format!(
                    "<table:table table:name=\"Tabella{n}\"><table:table-column table:number-columns-repeated=\"{}\"/><table:table-header-rows><table:table-row>",
                    testata.len()
                ));
                for h in &testata {
                    out.push_str(&format!(
                        "<table:table-cell office:value-type=\"string\">{}</table:table-cell>",
                        paragrafi(h)
                    ));
                }
                out.push_str("</table:table-row></table:table-header-rows>");
                for r in &righe {
                    out.push_str("<table:table-row>");
                    for x in r {
                        out.push_str(&format!(
                            "<table:table-cell office:value-type=\"string\">{}</table:table-cell>",
                            if x.is_empty() {
                                "<text:p/>".to_string()
                            } else {
                                paragrafi(x)
                            }
                        ));
                    }
                    out.push_str("</table:table-row>");
                }
                out.push_str("</table:table>");
            }
        }
    }
    out
}

/// The Relazione as an ODT file.
pub fn relazione(d: &Dati) -> AppResult<Vec<u8>> {
    let c = &d.chiusura;
    documento(
        [
            &c.ente_nome,
            &format!("{} {}", super::documento::TITOLO, c.anno),
            super::documento::NORMA,
        ],
        capitoli(d),
    )
}

/// An ODT file of the title lines and the blocks (the Relazione, a draft determina).
pub fn documento(titolo: [&str; 3], blocchi: Vec<Blocco>) -> AppResult<Vec<u8>> {
    let contenuto = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3"><office:body><office:text>{}</office:text></office:body></office:document-content>
"#,
        corpo(titolo, blocchi)
    );
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let salva = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let comprimi = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let mut scrivi = |nome: &str, opzioni: SimpleFileOptions, dati: &[u8]| -> AppResult<()> {
        z.start_file(nome, opzioni).map_err(AppError::interno)?;
        z.write_all(dati).map_err(AppError::interno)
    };
    scrivi("mimetype", salva, MIME.as_bytes())?;
    scrivi("META-INF/manifest.xml", comprimi, MANIFEST.as_bytes())?;
    scrivi("styles.xml", comprimi, STILI.as_bytes())?;
    scrivi("content.xml", comprimi, contenuto.as_bytes())?;
    Ok(z.finish().map_err(AppError::interno)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(xml("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(
            paragrafi("uno\ndue"),
            "<text:p>uno</text:p><text:p>due</text:p>"
        );
    }
}
