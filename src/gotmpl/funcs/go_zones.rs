//! Go's `time.Location` for Sprig's date functions: `time.Local` and `time.LoadLocation`,
//! finding zone files where Go (and so Helm) finds them, read by jiff (its TZif reader and
//! POSIX rules for times after the last transition).
//!
//! Go's rules (`zoneinfo_unix.go`, `zoneinfo.go`), which kit follows:
//! - `Local`: `TZ` unset: /etc/localtime; `TZ` empty or `UTC`: UTC; `TZ=/path` (or `:/path`):
//!   that file; `TZ=Area/City`: that zone from the zoneinfo directories. Anything that cannot
//!   be loaded (no such zone, no zone database on the machine) is UTC.
//! - `LoadLocation(name)`: `""` and `UTC` are UTC, `Local` is `Local`; a name with `..` or a
//!   leading `/` is refused; else `$ZONEINFO` (a directory) then /usr/share/zoneinfo,
//!   /usr/share/lib/zoneinfo, /usr/lib/locale/TZ and /etc/zoneinfo. Helm's binaries embed no
//!   zone database, so a zone missing from the machine is an error, which Sprig turns into UTC.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jiff::tz::TimeZone;

/// A zone, or `None` for UTC.
pub type Location = Option<TimeZone>;

/// Zone files larger than this are not TZif files (the largest are a few KiB).
const MAX_ZONE_FILE_BYTES: u64 = 1024 * 1024;

const PLATFORM_ZONE_SOURCES: &[&str] = &[
    "/usr/share/zoneinfo/",
    "/usr/share/lib/zoneinfo/",
    "/usr/lib/locale/TZ/",
    "/etc/zoneinfo/",
];

#[cfg(test)]
thread_local! {
    /// Unit tests pin `Local` (to UTC) whatever the machine's zone.
    static LOCAL_FOR_TESTS: std::cell::RefCell<Option<Location>> = const { std::cell::RefCell::new(None) };
}

/// Sets `Local` for the unit tests of this thread.
#[cfg(test)]
pub fn set_local_for_tests(loc: Location) {
    LOCAL_FOR_TESTS.with(|l| *l.borrow_mut() = Some(loc));
}

/// Go's `time.Local`, read once per process as Go reads it.
pub fn local() -> Location {
    #[cfg(test)]
    if let Some(loc) = LOCAL_FOR_TESTS.with(|l| l.borrow().clone()) {
        return loc;
    }
    static LOCAL: OnceLock<Location> = OnceLock::new();
    LOCAL
        .get_or_init(|| local_from(std::env::var_os("TZ").as_deref()))
        .clone()
}

fn local_from(tz: Option<&std::ffi::OsStr>) -> Location {
    let Some(tz) = tz else {
        return read_zone("Local", Path::new("/etc/localtime"));
    };
    let tz = tz.to_string_lossy();
    let tz = tz.strip_prefix(':').unwrap_or(&tz);
    if tz.starts_with('/') {
        read_zone(tz, Path::new(tz))
    } else if !tz.is_empty() && tz != "UTC" {
        from_zone_sources(tz, &platform_sources())
    } else {
        None
    }
}

/// Go's `time.LoadLocation`; `None` where Go returns an error (Sprig then uses UTC).
pub fn load_location(name: &str) -> Option<Location> {
    match name {
        "" | "UTC" => return Some(None),
        "Local" => return Some(local()),
        _ => {}
    }
    if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
        return None;
    }
    let mut sources = Vec::new();
    if let Some(dir) = std::env::var_os("ZONEINFO").filter(|d| !d.is_empty()) {
        sources.push(PathBuf::from(dir));
    }
    sources.extend(platform_sources());
    from_zone_sources(name, &sources).map(Some)
}

fn platform_sources() -> Vec<PathBuf> {
    PLATFORM_ZONE_SOURCES.iter().map(PathBuf::from).collect()
}

/// The zone `name` from the first directory that has a valid TZif file of that name.
fn from_zone_sources(name: &str, sources: &[PathBuf]) -> Location {
    sources
        .iter()
        .find_map(|dir| read_zone(name, &dir.join(name)))
}

/// A TZif file as a zone, or `None` when it cannot be read or is not TZif.
fn read_zone(name: &str, path: &Path) -> Location {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let mut data = Vec::new();
    file.take(MAX_ZONE_FILE_BYTES).read_to_end(&mut data).ok()?;
    TimeZone::tzif(name, &data).ok()
}

/// The offset east of UTC (seconds) and the abbreviation of `loc` at Unix second `secs`.
pub fn offset_at(loc: &Location, secs: i64) -> (i32, String) {
    let Some(tz) = loc else {
        return (0, "UTC".into());
    };
    // jiff's range (years -9999 to 9999) holds every time a template can make but the
    // extremes of int64 seconds; there, the nearest time it can represent decides.
    let ts = jiff::Timestamp::from_second(secs).unwrap_or(if secs < 0 {
        jiff::Timestamp::MIN
    } else {
        jiff::Timestamp::MAX
    });
    let info = tz.to_offset_info(ts);
    (info.offset().seconds(), info.abbreviation().to_string())
}

/// Go's `Date(...)` in `loc` for a wall clock given as seconds since the epoch as if it were
/// UTC: the offset in force at that guess, corrected once when the guess is across a
/// transition (so a wall time in a spring-forward gap lands where Go's does).
pub fn unix_of_wall_clock(loc: &Location, wall: i64) -> i64 {
    let (guess, _) = offset_at(loc, wall);
    if guess == 0 {
        return wall;
    }
    let utc = wall - i64::from(guess);
    let (offset, _) = offset_at(loc, utc);
    wall - i64::from(offset)
}

/// Go's `Location.lookupName`: the offset of a zone abbreviation in `loc` near Unix second
/// `secs` (first one in force then, else any zone of that name), or `None`.
pub fn offset_of_abbreviation(loc: &Location, name: &str, secs: i64) -> Option<i32> {
    let tz = loc.as_ref()?;
    // The zone's types, as far as the transitions around `secs` show them.
    let ts = jiff::Timestamp::from_second(secs).ok()?;
    let mut types: Vec<(String, i32)> = Vec::new();
    let mut note = |abbr: &str, off: i32| {
        if !types.iter().any(|(a, o)| a == abbr && *o == off) {
            types.push((abbr.to_string(), off));
        }
    };
    let info = tz.to_offset_info(ts);
    note(info.abbreviation(), info.offset().seconds());
    for t in tz.preceding(ts).take(400) {
        note(t.abbreviation(), t.offset().seconds());
    }
    for t in tz.following(ts).take(400) {
        note(t.abbreviation(), t.offset().seconds());
    }
    for (abbr, off) in types.iter().filter(|(a, _)| a == name) {
        let (offset, in_force) = offset_at(loc, secs - i64::from(*off));
        if in_force == *abbr {
            return Some(offset);
        }
    }
    types.iter().find(|(a, _)| a == name).map(|(_, o)| *o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_rules_for_local() {
        assert_eq!(local_from(Some("".as_ref())), None);
        assert_eq!(local_from(Some("UTC".as_ref())), None);
        assert_eq!(local_from(Some("Nowhere/Atlantis".as_ref())), None);
        assert_eq!(load_location("../etc/passwd"), None);
        assert_eq!(load_location("Nowhere/Atlantis"), None);
        assert_eq!(load_location("UTC"), Some(None));
        assert_eq!(local_from(Some("/no/such/zone/file".as_ref())), None);
        // No zone database on the machine: UTC, as in Go.
        assert_eq!(from_zone_sources("Asia/Kolkata", &[]), None);
    }
}
