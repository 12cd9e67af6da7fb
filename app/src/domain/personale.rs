//! Staff and their weights on objectives: the CCNL areas, and the rule that an employee's
//! weights over the plan's objectives sum to 100%.

use serde::{Deserialize, Serialize};

use super::peso::{Peso, CENTO};

/// Aree of the CCNL Funzioni Locali 2019–2021 (art. 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Area {
    Operatori,
    OperatoriEsperti,
    Istruttori,
    FunzionariEq,
}

impl Area {
    pub const TUTTE: [Area; 4] = [
        Area::Operatori,
        Area::OperatoriEsperti,
        Area::Istruttori,
        Area::FunzionariEq,
    ];

    pub fn db_name(self) -> &'static str {
        match self {
            Area::Operatori => "operatori",
            Area::OperatoriEsperti => "operatori_esperti",
            Area::Istruttori => "istruttori",
            Area::FunzionariEq => "funzionari_eq",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Area::Operatori => "Operatori",
            Area::OperatoriEsperti => "Operatori esperti",
            Area::Istruttori => "Istruttori",
            Area::FunzionariEq => "Funzionari ed Elevata Qualificazione",
        }
    }

    pub fn from_db(s: &str) -> Option<Area> {
        Area::TUTTE.into_iter().find(|a| a.db_name() == s)
    }

    /// What an Excel export may say: the area's name, or the old category it replaced
    /// (A, B, C, D of the 1999 classification, e.g. "C1", "D3").
    pub fn parse(raw: &str) -> Option<Area> {
        let t = raw.trim().to_lowercase().replace(['’', '\''], " ");
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        match t.as_str() {
            "operatori" | "operatore" => return Some(Area::Operatori),
            "operatori esperti" | "operatore esperto" => return Some(Area::OperatoriEsperti),
            "istruttori" | "istruttore" => return Some(Area::Istruttori),
            "funzionari"
            | "funzionario"
            | "funzionari eq"
            | "funzionari e eq"
            | "funzionari ed elevata qualificazione"
            | "funzionari e elevata qualificazione" => return Some(Area::FunzionariEq),
            _ => {}
        }
        let mut chars = t.chars();
        let cat = chars.next()?;
        if !chars.all(|c| c.is_ascii_digit()) {
            return None;
        }
        match cat {
            'a' => Some(Area::Operatori),
            'b' => Some(Area::OperatoriEsperti),
            'c' => Some(Area::Istruttori),
            'd' => Some(Area::FunzionariEq),
            _ => None,
        }
    }
}

/// An employee whose weights do not sum to 100%, with the Italian message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DipendenteIncompleto<K> {
    pub dipendente: K,
    pub totale: Peso,
    pub messaggio: String,
}

/// Sums each employee's weights over the objectives they work on (`None`: a weight not
/// given yet). Employees summing exactly to 100% are not reported.
pub fn incompleti<K: Clone + PartialEq>(
    assegnazioni: &[(K, String, Option<Peso>)],
) -> Vec<DipendenteIncompleto<K>> {
    let mut order: Vec<(K, String, u32, bool)> = Vec::new();
    for (k, nome, peso) in assegnazioni {
        let pos = match order.iter().position(|(x, ..)| x == k) {
            Some(p) => p,
            None => {
                order.push((k.clone(), nome.clone(), 0, false));
                order.len() - 1
            }
        };
        match peso {
            Some(p) => order[pos].2 += p.0,
            None => order[pos].3 = true,
        }
    }
    order
        .into_iter()
        .filter(|(_, _, tot, manca)| *manca || *tot != CENTO.0)
        .map(|(k, nome, tot, manca)| {
            let totale = Peso(tot);
            let messaggio = if manca {
                format!("{nome}: manca il peso di almeno un obiettivo.")
            } else if totale < CENTO {
                format!(
                    "{nome}: i pesi sommano a {}, mancano {}.",
                    totale.label(),
                    Peso(CENTO.0 - tot).label()
                )
            } else {
                format!(
                    "{nome}: i pesi sommano a {}, {} in eccesso.",
                    totale.label(),
                    Peso(tot - CENTO.0).label()
                )
            };
            DipendenteIncompleto {
                dipendente: k,
                totale,
                messaggio,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<Peso> {
        Some(Peso::parse(s).unwrap())
    }

    #[test]
    fn areas_from_what_excel_says() {
        assert_eq!(Area::parse("Istruttori"), Some(Area::Istruttori));
        assert_eq!(
            Area::parse(" funzionari ed elevata qualificazione "),
            Some(Area::FunzionariEq)
        );
        assert_eq!(Area::parse("Funzionari e EQ"), Some(Area::FunzionariEq));
        assert_eq!(
            Area::parse("OPERATORI ESPERTI"),
            Some(Area::OperatoriEsperti)
        );
        assert_eq!(Area::parse("C1"), Some(Area::Istruttori));
        assert_eq!(Area::parse("D3"), Some(Area::FunzionariEq));
        assert_eq!(Area::parse("B"), Some(Area::OperatoriEsperti));
        assert_eq!(Area::parse("Dirigente"), None);
        assert_eq!(Area::parse(""), None);
        for a in Area::TUTTE {
            assert_eq!(Area::from_db(a.db_name()), Some(a));
        }
    }

    #[test]
    fn each_employee_sums_to_100() {
        let a = vec![
            (1, "Mario Rossi".to_string(), p("50")),
            (2, "Anna Bianchi".to_string(), p("100")),
            (1, "Mario Rossi".to_string(), p("30")),
            (3, "Luca Verdi".to_string(), p("33,33")),
            (3, "Luca Verdi".to_string(), p("33,33")),
            (3, "Luca Verdi".to_string(), p("33,34")),
            (4, "Sara Neri".to_string(), p("70")),
            (4, "Sara Neri".to_string(), p("40")),
            (5, "Ugo Gialli".to_string(), None),
        ];
        let v = incompleti(&a);
        let msgs: Vec<_> = v.iter().map(|d| d.messaggio.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "Mario Rossi: i pesi sommano a 80%, mancano 20%.",
                "Sara Neri: i pesi sommano a 110%, 10% in eccesso.",
                "Ugo Gialli: manca il peso di almeno un obiettivo.",
            ]
        );
        assert_eq!(v[0].dipendente, 1);
    }
}
