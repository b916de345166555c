//! Dates and date-times as servers really send them.
//!
//! Reading accepts RFC 3339 and the deviations servers commonly make from it: no offset (taken
//! as UTC), a space or a lowercase `t` between date and time, any number of fraction digits, an
//! offset without its colon (`+0000`), a bare date (midnight UTC); a `date` also accepts a whole
//! date-time. Writing is always RFC 3339, as chrono writes it. clientgen writes this file only
//! into crates whose API has dates.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer};

use crate::Nullable;

/// A date-time in any of the forms the module accepts.
pub(crate) fn parse_date_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    // With an offset, in the forms RFC 3339 leaves out.
    // `%#z` takes `+01`, `+0100` and `+01:00`.
    for format in ["%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f%#z"] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    let local = text.strip_suffix(['Z', 'z']).unwrap_or(text);
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dt%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(local, format) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
}

/// A date, or the date of a date-time.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok().or_else(|| parse_date_time(text).map(|t| t.date_naive()))
}

/// A value holding dates, as itself or inside `Option`, `Nullable`, `Vec`, `Box` or a map, read
/// leniently: `#[serde(deserialize_with = "crate::time::lenient")]`, or a union alternative.
#[allow(dead_code)] // Objects read their dates through `Read`.
pub(crate) fn lenient<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<T, D::Error> {
    T::read(deserializer)
}

/// Reads a member holding dates into its slot, for `crate::runtime::object!`.
#[allow(dead_code)] // Not every API receives objects holding dates.
pub(crate) fn read_member<'de, A: serde::de::MapAccess<'de>, T: Lenient>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value::<Read<T>>()?.0);
    Ok(())
}

/// A type read with the module's lenient date parsing.
pub(crate) trait Lenient: Sized {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Adapts a [`Lenient`] type to serde, for the containers' own readers.
struct Read<T>(T);

impl<'de, T: Lenient> Deserialize<'de> for Read<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::read(deserializer).map(Read)
    }
}

impl Lenient for DateTime<Utc> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_date_time(&text).ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a date-time")))
    }
}

impl Lenient for NaiveDate {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_date(&text).ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a date")))
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<Read<T>>::deserialize(deserializer)?.map(|read| read.0))
    }
}

impl<T: Lenient> Lenient for Nullable<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::read(deserializer)?.into())
    }
}

impl<T: Lenient> Lenient for Box<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::read(deserializer).map(Box::new)
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<Read<T>>::deserialize(deserializer)?.into_iter().map(|read| read.0).collect())
    }
}

impl<T: Lenient> Lenient for BTreeMap<String, T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, Read<T>>::deserialize(deserializer)?;
        Ok(map.into_iter().map(|(k, read)| (k, read.0)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("a valid constant").with_timezone(&Utc)
    }

    #[test]
    fn date_times_are_read_as_servers_send_them() {
        let noon = utc("2026-12-02T06:56:18Z");
        for text in [
            "2026-12-02T06:56:18Z",
            "2026-12-02T06:56:18+00:00",
            "2026-12-02T07:56:18+01:00",
            "2026-12-02T06:56:18",
            "2026-12-02 06:56:18",
            "2026-12-02 06:56:18Z",
            "2026-12-02t06:56:18z",
            "2026-12-02T06:56:18+0000",
            "2026-12-02 06:56:18+00",
            "2026-12-02 06:56:18+00:00",
        ] {
            assert_eq!(parse_date_time(text), Some(noon), "{text}");
        }
        assert_eq!(parse_date_time("2026-12-02T06:56:18.123456789"), Some(utc("2026-12-02T06:56:18.123456789Z")));
        assert_eq!(parse_date_time("2026-12-02T06:56:18.1Z"), Some(utc("2026-12-02T06:56:18.100Z")));
        assert_eq!(parse_date_time("2026-12-02"), Some(utc("2026-12-02T00:00:00Z")));
        assert_eq!(parse_date_time("yesterday"), None);
        assert_eq!(parse_date("2026-12-02T23:00:00Z"), NaiveDate::from_ymd_opt(2026, 12, 2));
    }

    #[test]
    fn members_holding_dates_read_leniently_and_write_rfc_3339() {
        crate::runtime::object! {
            #[derive(Debug, PartialEq)]
            struct Record {
                created: DateTime<Utc> = "created" required dates,
                seen: Option<Vec<Option<DateTime<Utc>>>> = "seen" optional dates,
                edited: Nullable<DateTime<Utc>> = "edited" optional dates,
                by_day: Option<BTreeMap<String, NaiveDate>> = "by_day" optional dates,
            }
            read always, write always
        }
        let record: Record = serde_json::from_str(
            r#"{"created": "2026-12-02 06:56:18", "seen": ["2026-12-02T06:56:18.5", null],
                "edited": null, "by_day": {"a": "2026-12-02"}}"#,
        )
        .expect("reads");
        assert_eq!(record.created, utc("2026-12-02T06:56:18Z"));
        assert_eq!(record.seen, Some(vec![Some(utc("2026-12-02T06:56:18.5Z")), None]));
        assert_eq!(record.edited, Nullable::Null);
        let absent: Record = serde_json::from_str(r#"{"created": "2026-12-02T06:56:18Z"}"#).expect("reads");
        assert_eq!(absent.edited, Nullable::Absent);
        let written = serde_json::to_value(&record).expect("writes");
        assert_eq!(written["created"], "2026-12-02T06:56:18Z");
        let wrong = serde_json::from_str::<Record>(r#"{"created": "soon"}"#).expect_err("refused");
        assert!(wrong.to_string().contains("\"soon\" is not a date-time"), "{wrong}");
    }
}
