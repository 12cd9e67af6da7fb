//! Weights: exact decimals with at most two decimals, kept as hundredths (never floats).

use serde::{Deserialize, Serialize};

/// A weight in hundredths of a percent point: `Peso(2000)` is 20%, `Peso(3333)` is 33,33%.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Peso(pub u32);

pub const CENTO: Peso = Peso(10_000);

impl Peso {
    /// Parses what a person types: "20", "20%", "33,33", "33.3 %". Refuses more than two
    /// decimals, zero, negatives and anything over 100, with the reason in Italian.
    /// An optional weight: empty is `None`, otherwise as `parse`. One parser for every form
    /// (objectives, phases, templates, assignments), in the browser and on the server.
    pub fn parse_opzionale(raw: &str) -> Result<Option<Peso>, String> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            Peso::parse(raw).map(Some)
        }
    }

    pub fn parse(raw: &str) -> Result<Peso, String> {
        let p = match centesimi(raw) {
            Ok(c) => Peso(c),
            Err(Formato::Vuoto) => return Err("Indica il peso.".into()),
            Err(Formato::NonNumero) => {
                return Err(format!(
                    "«{}» non è un peso valido: usa un numero, ad esempio 20 o 33,33.",
                    raw.trim()
                ))
            }
            Err(Formato::Decimali) => return Err("Il peso ammette al massimo due decimali.".into()),
            Err(Formato::Oltre) => return Err("Il peso non può superare 100%.".into()),
        };
        if p.0 == 0 {
            Err("Il peso deve essere maggiore di zero.".into())
        } else if p > CENTO {
            Err("Il peso non può superare 100%.".into())
        } else {
            Ok(p)
        }
    }

    /// "20%", "33,33%", "12,5%".
    pub fn label(self) -> String {
        format!("{}%", self.number())
    }

    /// The number without the percent sign, as an Italian would write it.
    pub fn number(self) -> String {
        let (i, f) = (self.0 / 100, self.0 % 100);
        match f {
            0 => format!("{i}"),
            f if f % 10 == 0 => format!("{i},{}", f / 10),
            f => format!("{i},{f:02}"),
        }
    }
}

/// Why a percentage as typed is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formato {
    Vuoto,
    NonNumero,
    /// More than two decimals.
    Decimali,
    /// Four digits or more before the comma.
    Oltre,
}

/// A non-negative number as a person types it ("20", "20%", "33,33", "33.3 %"), in
/// hundredths: the one reading of weights and of progress percentages.
pub fn centesimi(raw: &str) -> Result<u32, Formato> {
    let t = raw.trim().trim_end_matches('%').trim();
    if t.is_empty() {
        return Err(Formato::Vuoto);
    }
    let t = t.replace(',', ".");
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, f),
        None => (t.as_str(), ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if int.is_empty() && frac.is_empty() || !digits(int) || !digits(frac) {
        return Err(Formato::NonNumero);
    }
    if frac.len() > 2 {
        return Err(Formato::Decimali);
    }
    if int.len() > 3 {
        return Err(Formato::Oltre);
    }
    let int: u32 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| Formato::NonNumero)?
    };
    let frac: u32 = format!("{frac:0<2}").parse().unwrap_or(0);
    Ok(int * 100 + frac)
}

/// Whether the weights sum to exactly 100%: the total shows green.
pub fn totale_esatto(pesi: &[Peso]) -> bool {
    pesi.iter().map(|p| p.0).sum::<u32>() == CENTO.0
}

/// The running total the editor shows: "Totale pesi: 90% — mancano 10%".
pub fn totale_label(pesi: &[Peso]) -> String {
    let tot = Peso(pesi.iter().map(|p| p.0).sum());
    match tot.cmp(&CENTO) {
        std::cmp::Ordering::Equal => format!("Totale pesi: {}", tot.label()),
        std::cmp::Ordering::Less => format!(
            "Totale pesi: {} — mancano {}",
            tot.label(),
            Peso(CENTO.0 - tot.0).label()
        ),
        std::cmp::Ordering::Greater => format!(
            "Totale pesi: {} — {} in eccesso",
            tot.label(),
            Peso(tot.0 - CENTO.0).label()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_total() {
        assert!(totale_esatto(&[Peso(5_000), Peso(2_500), Peso(2_500)]));
        assert!(!totale_esatto(&[Peso(5_000), Peso(2_500)]));
        assert!(!totale_esatto(&[Peso(5_000), Peso(5_001)]));
        assert!(!totale_esatto(&[]));
    }

    #[test]
    fn an_optional_weight_is_empty_or_a_weight() {
        assert_eq!(Peso::parse_opzionale("  "), Ok(None));
        assert_eq!(
            Peso::parse_opzionale("20%"),
            Ok(Some(Peso::parse("20").unwrap()))
        );
        assert!(Peso::parse_opzionale("venti").is_err());
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Peso::parse("20"), Ok(Peso(2000)));
        assert_eq!(Peso::parse("20%"), Ok(Peso(2000)));
        assert_eq!(Peso::parse(" 33,33 "), Ok(Peso(3333)));
        assert_eq!(Peso::parse("33.3 %"), Ok(Peso(3330)));
        assert_eq!(Peso::parse("100"), Ok(CENTO));
        assert_eq!(Peso::parse("0,5"), Ok(Peso(50)));
        assert_eq!(Peso::parse(",5"), Ok(Peso(50)));
    }

    #[test]
    fn refuses_what_is_not_a_weight() {
        assert_eq!(
            Peso::parse("0.001").unwrap_err(),
            "Il peso ammette al massimo due decimali."
        );
        assert_eq!(
            Peso::parse("0").unwrap_err(),
            "Il peso deve essere maggiore di zero."
        );
        assert_eq!(
            Peso::parse("0,00").unwrap_err(),
            "Il peso deve essere maggiore di zero."
        );
        assert_eq!(
            Peso::parse("100,01").unwrap_err(),
            "Il peso non può superare 100%."
        );
        assert_eq!(
            Peso::parse("1000").unwrap_err(),
            "Il peso non può superare 100%."
        );
        assert!(Peso::parse("-5").is_err());
        assert!(Peso::parse("venti").is_err());
        assert!(Peso::parse("1e2").is_err());
        assert!(Peso::parse("").is_err());
        assert!(Peso::parse(".").is_err());
    }

    #[test]
    fn thirds_sum_exactly() {
        let p: Vec<Peso> = ["33,33", "33,33", "33,34"]
            .iter()
            .map(|s| Peso::parse(s).unwrap())
            .collect();
        assert_eq!(p.iter().map(|p| p.0).sum::<u32>(), CENTO.0);
        assert_eq!(totale_label(&p), "Totale pesi: 100%");
    }

    #[test]
    fn labels() {
        assert_eq!(Peso(2000).label(), "20%");
        assert_eq!(Peso(1250).label(), "12,5%");
        assert_eq!(Peso(3333).label(), "33,33%");
        assert_eq!(Peso(5).label(), "0,05%");
        assert_eq!(
            totale_label(&[Peso(5000), Peso(4000)]),
            "Totale pesi: 90% — mancano 10%"
        );
        assert_eq!(
            totale_label(&[Peso(7000), Peso(4000)]),
            "Totale pesi: 110% — 10% in eccesso"
        );
        assert_eq!(totale_label(&[]), "Totale pesi: 0% — mancano 100%");
    }
}
