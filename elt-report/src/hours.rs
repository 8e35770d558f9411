//! The hours the agency counts: real elapsed time in Europe/Stockholm, per kind (`aktivTid`,
//! `vanteTid`, `beredskapsTid`) and in total, per day and for the month.
//!
//! The agency sums the worked time itself from the date and time rows and removes or adds the
//! hour at the switch to and from summer time; vendors must not adjust for it. This module
//! counts the same way, so a vendor sees what the agency will count:
//! - each row is the time between its `fromTid` and its `tomTid` on day `dag` of the month, as
//!   wall-clock times in Europe/Stockholm (`24.00` as `tomTid` is midnight at the end of the
//!   day);
//! - on the spring switch night (last Sunday of March, 02.00 becomes 03.00) a row 00.00–04.00 is
//!   **3 hours**; on the autumn one (last Sunday of October, 03.00 becomes 02.00) it is
//!   **5 hours**;
//! - **the repeated October hour**: a wall-clock time from 02.00 up to (not including) 03.00 on
//!   the autumn switch night happens twice; this crate takes it as its **first** occurrence
//!   (summer time, UTC+2). So 02.00–02.30 that night is 30 minutes (the first pass), 01.00–02.30
//!   is 1 h 30 min, 02.30–03.00 is 1 h 30 min (from the first 02.30 to the only 03.00), and
//!   splitting a row anywhere never changes the sum. Work done only in the second pass cannot be
//!   told apart in the report's format; [`check`](crate::check()) warns about every time in that
//!   hour (`time.repeated-hour`);
//! - a time in the hour that does not exist in March (02.00–02.59) is an error in
//!   [`check`](crate::check()); if such a row is summed anyway, the time is read with the offset
//!   before the switch (02.30 is taken as 03.30 summer time), the common rule of calendar
//!   software.
//!
//! The time zone rules come from the database compiled into `jiff` (`tzdb-bundle-always`), not
//! from the machine, so every machine counts the same.
//!
//! Rows that cannot be placed in time (a month or day that does not exist, a time that is not a
//! time of day, a `tomTid` not after `fromTid`) are left out of the sums and listed in
//! [`Summary::rows_left_out`]; [`check`](crate::check()) reports why.

use std::fmt;
use std::sync::OnceLock;

use elt_types::tidredovisning::{
    RapportRad, RapportRadAktivTidOrVanteTidOrBeredskapsTid, Tidredovisning,
};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{AmbiguousOffset, TimeZone};
use serde::Serialize;

/// The agency's time zone.
pub const TIME_ZONE: &str = "Europe/Stockholm";

/// Europe/Stockholm from the bundled database; `None` only if the build lacks it.
pub(crate) fn stockholm() -> Option<&'static TimeZone> {
    static TZ: OnceLock<Option<TimeZone>> = OnceLock::new();
    TZ.get_or_init(|| TimeZone::get(TIME_ZONE).ok()).as_ref()
}

/// A number of minutes of real elapsed time (serialized as an integer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Minutes(pub i64);

impl fmt::Display for Minutes {
    /// `H:MM`, e.g. `17:30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let m = self.0.unsigned_abs();
        // `pad` so that widths such as `{:>8}` apply.
        f.pad(&format!("{sign}{}:{:02}", m / 60, m % 60))
    }
}

/// Minutes per kind of time (JSON: `aktivTid`, `vanteTid`, `beredskapsTid`, `total`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hours {
    /// Ordinary working time.
    pub aktiv_tid: Minutes,
    /// Waiting time.
    pub vante_tid: Minutes,
    /// On-call time.
    pub beredskaps_tid: Minutes,
    /// The three together.
    pub total: Minutes,
}

impl Hours {
    fn add(&mut self, kind: Kind, minutes: i64) {
        let slot = match kind {
            Kind::Aktiv => &mut self.aktiv_tid,
            Kind::Vante => &mut self.vante_tid,
            Kind::Beredskap => &mut self.beredskaps_tid,
        };
        slot.0 += minutes;
        self.total.0 += minutes;
    }
}

/// The kind of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Aktiv,
    Vante,
    Beredskap,
}

impl Kind {
    pub(crate) fn of(row: &RapportRad) -> Self {
        match row.aktiv_tid_or_vante_tid_or_beredskaps_tid {
            RapportRadAktivTidOrVanteTidOrBeredskapsTid::AktivTid(_) => Self::Aktiv,
            RapportRadAktivTidOrVanteTidOrBeredskapsTid::VanteTid(_) => Self::Vante,
            RapportRadAktivTidOrVanteTidOrBeredskapsTid::BeredskapsTid(_) => Self::Beredskap,
        }
    }
}

/// The hours of one day of the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayHours {
    /// The day of the month (`dag`).
    pub day: i8,
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// The minutes of the rows of that day.
    pub hours: Hours,
}

/// The hours of a report, as the agency counts them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// `redovisningsmanad`, as written.
    pub month: String,
    /// The days that have rows, in date order.
    pub days: Vec<DayHours>,
    /// The whole month.
    pub total: Hours,
    /// 1-based positions of the rows left out of the sums because they cannot be placed in
    /// time (see [`check`](crate::check())).
    pub rows_left_out: Vec<usize>,
}

/// The first day of the month `YYYY-MM`, or why it is not a month.
pub(crate) fn month_start(text: &str) -> Result<Date, String> {
    let b = text.as_bytes();
    let ok = b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit());
    if !ok {
        return Err(format!("{text:?} is not a month in the form YYYY-MM"));
    }
    let year: i16 = text[..4]
        .parse()
        .map_err(|_| format!("{text:?}: bad year"))?;
    let month: i8 = text[5..]
        .parse()
        .map_err(|_| format!("{text:?}: bad month"))?;
    if !(1..=12).contains(&month) {
        return Err(format!(
            "{text:?}: the month is {month:02}, but months are 01 to 12"
        ));
    }
    Date::new(year, month, 1).map_err(|e| format!("{text:?}: {e}"))
}

/// A `Klockslag` `HH.MM` as minutes after midnight; `24.00` (1440) only when `end` is true.
pub(crate) fn clock(text: &str, end: bool) -> Result<i64, String> {
    let b = text.as_bytes();
    let ok = b.len() == 5 && b[2] == b'.' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit());
    if !ok {
        return Err(format!("{text:?} is not a time in the form HH.MM"));
    }
    let h = i64::from((b[0] - b'0') * 10 + (b[1] - b'0'));
    let m = i64::from((b[3] - b'0') * 10 + (b[4] - b'0'));
    if h == 24 && m == 0 {
        return if end {
            Ok(1440)
        } else {
            Err(format!(
                "{text:?}: 24.00 is allowed only as tomTid (the end of the day); a row starting at midnight starts at 00.00"
            ))
        };
    }
    if h > 23 {
        return Err(format!(
            "{text:?}: the hour is {h:02}, but hours run from 00 to 23 (24.00 only as tomTid)"
        ));
    }
    if m > 59 {
        return Err(format!(
            "{text:?}: the minutes are {m:02}, but they run from 00 to 59"
        ));
    }
    Ok(h * 60 + m)
}

/// How a wall-clock time maps to real time in Europe/Stockholm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Local {
    /// Exactly one instant.
    Unique,
    /// Never happens (the spring gap); mapped with the offset before the switch.
    Gap,
    /// Happens twice (the autumn fold); mapped to the first occurrence.
    Fold,
}

/// The instant of `minutes` after midnight starting `date` in Stockholm.
pub(crate) fn instant(date: Date, minutes: i64) -> Option<(Timestamp, Local)> {
    let tz = stockholm()?;
    let (date, minutes) = if minutes >= 1440 {
        (date.tomorrow().ok()?, minutes - 1440)
    } else {
        (date, minutes)
    };
    let dt = date.at((minutes / 60) as i8, (minutes % 60) as i8, 0, 0);
    let amb = tz.to_ambiguous_timestamp(dt);
    let local = match amb.offset() {
        AmbiguousOffset::Unambiguous { .. } => Local::Unique,
        AmbiguousOffset::Gap { .. } => Local::Gap,
        AmbiguousOffset::Fold { .. } => Local::Fold,
    };
    // `compatible`: a fold takes the earlier instant, a gap the offset before the switch.
    amb.compatible().ok().map(|ts| (ts, local))
}

/// The month's days in Stockholm: for each day without a switch, its one UTC offset, so that
/// placing a row takes no time zone lookup (the switch days take the full lookup).
#[derive(Debug, Clone)]
pub(crate) struct MonthZone {
    start: Date,
    fixed: Vec<Option<jiff::tz::Offset>>,
}

impl MonthZone {
    pub(crate) fn new(start: Date) -> Self {
        let unique = |d: Date| {
            let tz = stockholm()?;
            match tz.to_ambiguous_timestamp(d.at(0, 0, 0, 0)).offset() {
                AmbiguousOffset::Unambiguous { offset } => Some(offset),
                _ => None,
            }
        };
        let days = start.days_in_month();
        let mut fixed = Vec::with_capacity(days as usize);
        let mut day = Some(start);
        let mut at_midnight = unique(start);
        for _ in 0..days {
            let next = day.and_then(|d| d.tomorrow().ok());
            let next_midnight = next.and_then(unique);
            // One offset at both midnights: no switch during the day (Stockholm has at most one
            // a day).
            fixed.push(match (at_midnight, next_midnight) {
                (Some(a), Some(b)) if a == b => Some(a),
                _ => None,
            });
            day = next;
            at_midnight = next_midnight;
        }
        Self { start, fixed }
    }

    /// The first day of the month.
    pub(crate) fn start(&self) -> Date {
        self.start
    }

    fn instant(&self, date: Date, minutes: i64) -> Option<(Timestamp, Local)> {
        if minutes < 1440
            && let Some(Some(offset)) = self.fixed.get((date.day() - 1) as usize)
        {
            let dt = date.at((minutes / 60) as i8, (minutes % 60) as i8, 0, 0);
            return offset.to_timestamp(dt).ok().map(|t| (t, Local::Unique));
        }
        instant(date, minutes)
    }
}

/// A row placed in time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placed {
    pub(crate) date: Date,
    pub(crate) start: Timestamp,
    pub(crate) end: Timestamp,
    pub(crate) start_local: Local,
    pub(crate) end_local: Local,
}

impl Placed {
    pub(crate) fn minutes(&self) -> i64 {
        (self.end.as_second() - self.start.as_second()) / 60
    }
}

/// Places a row in time, or `None` when it cannot be (see the module docs).
pub(crate) fn place(zone: &MonthZone, row: &RapportRad) -> Option<Placed> {
    let month = zone.start();
    let day = i8::try_from(*row.dag.get()).ok()?;
    if day < 1 || day > month.days_in_month() {
        return None;
    }
    let date = month.with().day(day).build().ok()?;
    let from = clock(row.from_tid.get(), false).ok()?;
    let to = clock(row.tom_tid.get(), true).ok()?;
    if to <= from {
        return None;
    }
    let (start, start_local) = zone.instant(date, from)?;
    let (end, end_local) = zone.instant(date, to)?;
    Some(Placed {
        date,
        start,
        end,
        start_local,
        end_local,
    })
}

/// The hours of `report`, as the agency counts them (see the module docs).
pub fn summarize(report: &Tidredovisning) -> Summary {
    let month_text = report.redovisningsmanad.get().clone();
    let mut days: Vec<DayHours> = Vec::new();
    let mut total = Hours::default();
    let mut rows_left_out = Vec::new();
    let zone = month_start(&month_text).ok().map(MonthZone::new);
    for (i, row) in report.tidrapport.rapport_rad.iter().enumerate() {
        let Some(placed) = zone.as_ref().and_then(|z| place(z, row)) else {
            rows_left_out.push(i + 1);
            continue;
        };
        let minutes = placed.minutes();
        let kind = Kind::of(row);
        total.add(kind, minutes);
        let day = placed.date.day();
        let at = match days.binary_search_by_key(&day, |d| d.day) {
            Ok(at) => at,
            Err(at) => {
                days.insert(
                    at,
                    DayHours {
                        day,
                        date: placed.date.to_string(),
                        hours: Hours::default(),
                    },
                );
                at
            }
        };
        days[at].hours.add(kind, minutes);
    }
    Summary {
        month: month_text,
        days,
        total,
        rows_left_out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_rules() {
        assert_eq!(clock("00.00", false), Ok(0));
        assert_eq!(clock("23.59", false), Ok(1439));
        assert_eq!(clock("24.00", true), Ok(1440));
        assert!(clock("24.00", false).is_err());
        assert!(clock("24.01", true).is_err());
        assert!(clock("25.99", true).is_err());
        assert!(clock("12.60", true).is_err());
        assert!(clock("1.30", true).is_err());
    }

    #[test]
    fn the_fixed_offsets_skip_exactly_the_switch_days() {
        let z = MonthZone::new(Date::new(2026, 3, 1).unwrap());
        let fixed: Vec<i8> = (1..=31)
            .filter(|&d| z.fixed[d as usize - 1].is_none())
            .collect();
        assert_eq!(fixed, vec![29]);
        let z = MonthZone::new(Date::new(2025, 10, 1).unwrap());
        let fixed: Vec<i8> = (1..=31)
            .filter(|&d| z.fixed[d as usize - 1].is_none())
            .collect();
        assert_eq!(fixed, vec![26]);
        // The day before the switch ends at midnight in the same offset: still fixed.
        let day = Date::new(2026, 3, 28).unwrap();
        for minutes in [0, 60, 1439] {
            assert_eq!(
                z_instant(&MonthZone::new(day.first_of_month()), day, minutes),
                instant(day, minutes)
            );
        }
    }

    fn z_instant(z: &MonthZone, d: Date, m: i64) -> Option<(Timestamp, Local)> {
        z.instant(d, m)
    }

    #[test]
    fn month_rules() {
        assert!(month_start("2026-02").is_ok());
        assert!(month_start("2026-13").is_err());
        assert!(month_start("2026-00").is_err());
        assert!(month_start("26-01").is_err());
    }
}
