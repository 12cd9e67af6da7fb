//! Working days in Italy, for the deadlines of the evaluation cycle (a review is requested
//! within 10 working days of the presa visione, decided within 15 of the request).
//! Saturdays, Sundays and the national holidays are not working days; a comune's patron
//! saint is not counted (it differs from comune to comune).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};

/// Easter Sunday of `anno` (the Gregorian computus, Meeus/Jones/Butcher).
pub fn pasqua(anno: i32) -> NaiveDate {
    let a = anno % 19;
    let b = anno / 100;
    let c = anno % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let mese = (h + l - 7 * m + 114) / 31;
    let giorno = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(anno, mese as u32, giorno as u32).expect("Easter is a date")
}

/// A national holiday (L. 260/1949 and later laws; 4 October again from 2026).
pub fn festivo(d: NaiveDate) -> bool {
    let fissi = [
        (1, 1),   // Capodanno
        (1, 6),   // Epifania
        (4, 25),  // Liberazione
        (5, 1),   // Festa del lavoro
        (6, 2),   // Festa della Repubblica
        (8, 15),  // Ferragosto
        (11, 1),  // Ognissanti
        (12, 8),  // Immacolata
        (12, 25), // Natale
        (12, 26), // Santo Stefano
    ];
    if fissi.contains(&(d.month(), d.day())) {
        return true;
    }
    if d.year() >= 2026 && (d.month(), d.day()) == (10, 4) {
        return true; // San Francesco d'Assisi, patron of Italy
    }
    d == pasqua(d.year()) + Duration::days(1) // Lunedì dell'Angelo
}

/// The last Sunday of `mese` in `anno`.
fn ultima_domenica(anno: i32, mese: u32) -> NaiveDate {
    let primo_dopo = if mese == 12 {
        NaiveDate::from_ymd_opt(anno + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(anno, mese + 1, 1)
    }
    .expect("a month's first day");
    let ultimo = primo_dopo - Duration::days(1);
    ultimo - Duration::days(ultimo.weekday().num_days_from_sunday() as i64)
}

/// The clock in Italy at the instant `ora`: UTC+1, and UTC+2 from the last Sunday of March
/// to the last Sunday of October (at 01:00 UTC both, as in the whole EU).
pub fn ora_in_italia(ora: DateTime<Utc>) -> NaiveDateTime {
    let anno = ora.year();
    let alle_una = |d: NaiveDate| d.and_hms_opt(1, 0, 0).expect("01:00").and_utc();
    let legale =
        ora >= alle_una(ultima_domenica(anno, 3)) && ora < alle_una(ultima_domenica(anno, 10));
    (ora + Duration::hours(if legale { 2 } else { 1 })).naive_utc()
}

/// The date in Italy at the instant `ora`.
pub fn data_in_italia(ora: DateTime<Utc>) -> NaiveDate {
    ora_in_italia(ora).date()
}

/// Today in Italy.
pub fn oggi() -> NaiveDate {
    data_in_italia(Utc::now())
}

/// Neither a weekend nor a national holiday.
pub fn lavorativo(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !festivo(d)
}

/// The day `n` working days after `da` (the day of the event does not count).
pub fn dopo_lavorativi(da: NaiveDate, n: u32) -> NaiveDate {
    let mut d = da;
    let mut contati = 0;
    while contati < n {
        d += Duration::days(1);
        if lavorativo(d) {
            contati += 1;
        }
    }
    d
}

/// Working days from the day after `da` up to `a` included (0 when `a` is not after `da`).
pub fn lavorativi_tra(da: NaiveDate, a: NaiveDate) -> u32 {
    da.iter_days()
        .skip(1)
        .take_while(|d| *d <= a)
        .filter(|d| lavorativo(*d))
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, g: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, g).unwrap()
    }

    #[test]
    fn easter_dates() {
        assert_eq!(pasqua(2022), d(2022, 4, 17));
        assert_eq!(pasqua(2023), d(2023, 4, 9));
        assert_eq!(pasqua(2024), d(2024, 3, 31));
        assert_eq!(pasqua(2025), d(2025, 4, 20));
        assert_eq!(pasqua(2026), d(2026, 4, 5));
    }

    #[test]
    fn holidays() {
        assert!(festivo(d(2023, 4, 10))); // Easter Monday
        assert!(!festivo(d(2023, 4, 9))); // Easter is a Sunday, not a listed holiday
        assert!(festivo(d(2023, 6, 2)));
        assert!(!festivo(d(2025, 10, 4)));
        assert!(festivo(d(2026, 10, 4)));
        assert!(!lavorativo(d(2023, 1, 7))); // Saturday
        assert!(lavorativo(d(2023, 1, 9)));
    }

    #[test]
    fn the_date_in_italy_follows_summer_time() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        // 26/03/2023 and 29/10/2023 are the last Sundays of March and October.
        assert_eq!(data_in_italia(t("2023-07-01T22:30:00Z")), d(2023, 7, 2));
        assert_eq!(data_in_italia(t("2023-07-01T21:30:00Z")), d(2023, 7, 1));
        assert_eq!(data_in_italia(t("2023-01-01T22:30:00Z")), d(2023, 1, 1));
        assert_eq!(data_in_italia(t("2023-12-31T23:30:00Z")), d(2024, 1, 1));
        assert_eq!(data_in_italia(t("2023-03-26T00:59:00Z")), d(2023, 3, 26));
        assert_eq!(data_in_italia(t("2023-03-25T22:30:00Z")), d(2023, 3, 25));
        assert_eq!(data_in_italia(t("2023-10-28T22:30:00Z")), d(2023, 10, 29));
        assert_eq!(data_in_italia(t("2023-10-29T22:30:00Z")), d(2023, 10, 29));
        assert_eq!(ultima_domenica(2024, 3), d(2024, 3, 31));
        assert_eq!(ultima_domenica(2024, 10), d(2024, 10, 27));
    }

    #[test]
    fn ten_working_days_skip_weekends_and_holidays() {
        // Thursday 20/4/2023: 21 (F), 24 (M), 25 Liberazione, 26, 27, 28, 1 May holiday,
        // 2, 3, 4, 5, 8 → the 10th working day is Monday 8/5.
        assert_eq!(dopo_lavorativi(d(2023, 4, 20), 10), d(2023, 5, 8));
        assert_eq!(lavorativi_tra(d(2023, 4, 20), d(2023, 5, 8)), 10);
        assert_eq!(lavorativi_tra(d(2023, 4, 20), d(2023, 4, 20)), 0);
        // Friday 22/12/2023 + 3: 27, 28, 29 (25 and 26 are holidays).
        assert_eq!(dopo_lavorativi(d(2023, 12, 22), 3), d(2023, 12, 29));
    }
}
