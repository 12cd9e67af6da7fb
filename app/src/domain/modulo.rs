//! Form values that are not text: shared by the pages that send them and the server
//! functions that read them.

use serde::{Deserialize, Deserializer, Serialize};

/// A checkbox: ticked ("on", as a browser sends it, or "true") or not (absent, "false").
/// A server function takes it with `#[server(default)]`, so that an unticked box, which
/// a browser does not send at all, reads as `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct Casella(pub bool);

impl<'de> Deserialize<'de> for Casella {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitatore;
        impl serde::de::Visitor<'_> for Visitatore {
            type Value = Casella;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a checkbox value")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Casella, E> {
                Ok(Casella(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Casella, E> {
                match v {
                    "on" | "true" | "1" => Ok(Casella(true)),
                    "" | "off" | "false" | "0" => Ok(Casella(false)),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(Visitatore)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkbox_reads_as_browsers_and_pages_send_it() {
        #[derive(Deserialize)]
        struct Modulo {
            #[serde(default)]
            c: Casella,
        }
        let leggi = |q: &str| serde_urlencoded::from_str::<Modulo>(q).map(|m| m.c.0);
        assert_eq!(leggi("c=on"), Ok(true));
        assert_eq!(leggi("c=true"), Ok(true));
        assert_eq!(leggi(""), Ok(false));
        assert_eq!(leggi("c=false"), Ok(false));
        assert!(leggi("c=forse").is_err());
        assert_eq!(
            serde_json::from_str::<Casella>("true").unwrap(),
            Casella(true)
        );
        assert_eq!(serde_json::to_string(&Casella(false)).unwrap(), "false");
    }
}
