//! Sprig's dates in Go's zones: `kit template` against `helm template` (v3.17.2, `KIT_HELM3`)
//! on one chart of fixed times (`date`, `htmlDate`, `dateInZone`, `toDate` with and without a
//! zone, `dateModify` across a daylight saving change, `unixEpoch`, `.UTC`, and the zone
//! part of `now`) under `TZ` unset (/etc/localtime), empty, `UTC`, `America/New_York`,
//! `Asia/Kolkata` (a half-hour offset), `Australia/Sydney`, `:Europe/Paris`, a file path, a
//! zone that does not exist, a POSIX rule Go does not read, and a zone found through
//! `ZONEINFO`. Byte for byte. Without `KIT_HELM3` the test says loudly that it is skipped
//! (a failure under `CI=true`).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{scratch, write};

const TEMPLATE: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: dates
data:
  date: {{ date "2006-01-02 15:04:05 MST -0700" 1700000000 | quote }}
  summer: {{ date "2006-01-02 15:04:05 MST -07:00" 1690000000 | quote }}
  html: {{ htmlDate 1700000000 | quote }}
  kolkata: {{ dateInZone "2006-01-02 15:04:05 MST -0700" 1700000000 "Asia/Kolkata" | quote }}
  newYork: {{ dateInZone "2006-01-02 15:04:05 MST" 1700000000 "America/New_York" | quote }}
  unknownZone: {{ dateInZone "2006-01-02 15:04:05 MST" 1700000000 "Nowhere/Atlantis" | quote }}
  badName: {{ dateInZone "15:04 MST" 1700000000 "../Asia/Kolkata" | quote }}
  ownZone: {{ dateInZone "15:04 MST -0700" 1700000000 "Kit/Own" | quote }}
  local: {{ dateInZone "15:04 MST" 1700000000 "Local" | quote }}
  toDate: {{ toDate "2006-01-02" "2024-03-10" | quote }}
  inGap: {{ toDate "2006-01-02 15:04" "2024-03-10 02:30" | quote }}
  abbreviation: {{ toDate "2006-01-02 15:04 MST" "2024-01-10 02:30 EST" | quote }}
  offset: {{ toDate "2006-01-02 15:04 -0700" "2024-01-10 02:30 -0500" | quote }}
  zulu: {{ toDate "2006-01-02T15:04:05Z07:00" "2024-01-10T02:30:00Z" | quote }}
  utcName: {{ toDate "2006-01-02 15:04 MST" "2024-01-10 02:30 UTC" | quote }}
  unknownName: {{ toDate "2006-01-02 15:04 MST" "2024-01-10 02:30 XYZ" | quote }}
  modify: {{ toDate "2006-01-02 15:04" "2024-03-09 12:00" | dateModify "24h" | quote }}
  epoch: {{ toDate "2006-01-02" "2024-03-10" | unixEpoch | quote }}
  dateOfTime: {{ toDate "2006-01-02" "2024-03-10" | date "2006-01-02 15:04 MST" | quote }}
  utc: {{ (toDate "2006-01-02" "2024-03-10").UTC | quote }}
  nowZone: {{ now | date "MST" | quote }}
"#;

fn render(program: &str, dir: &Path, tz: Option<&str>) -> (i32, String, String) {
    let mut cmd = if program == "kit" {
        common::kit()
    } else {
        Command::new(program)
    };
    cmd.args(["template", "chart"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ZONEINFO", dir.join("zoneinfo"))
        .env("HELM_CONFIG_HOME", dir.join("helm-config"))
        .env("HELM_CACHE_HOME", dir.join("helm-cache"))
        .env("HELM_DATA_HOME", dir.join("helm-data"));
    match tz {
        Some(tz) => cmd.env("TZ", tz),
        None => cmd.env_remove("TZ"),
    };
    common::output(&mut cmd)
}

#[test]
fn dates_in_local_and_named_zones_match_helm() {
    let Some(helm) = common::helm3("dates_in_local_and_named_zones_match_helm") else {
        return;
    };
    let dir = scratch("zones");
    write(
        &dir,
        "chart/Chart.yaml",
        "apiVersion: v2\nname: dates\nversion: 0.1.0\n",
    );
    write(&dir, "chart/templates/dates.yaml", TEMPLATE);
    // A zone only `ZONEINFO` has (Kolkata's rules under another name), when the machine has
    // a zone database to copy it from.
    if let Ok(kolkata) = std::fs::read("/usr/share/zoneinfo/Asia/Kolkata") {
        std::fs::create_dir_all(dir.join("zoneinfo/Kit")).unwrap();
        std::fs::write(dir.join("zoneinfo/Kit/Own"), kolkata).unwrap();
    }
    for tz in [
        None,
        Some(""),
        Some("UTC"),
        Some("America/New_York"),
        Some("Asia/Kolkata"),
        Some("Australia/Sydney"),
        Some(":Europe/Paris"),
        Some("/usr/share/zoneinfo/Asia/Tokyo"),
        Some("Nowhere/Atlantis"),
        Some("XYZ-5:30"),
        Some("Kit/Own"),
    ] {
        let (hc, hout, herr) = render(&helm, &dir, tz);
        let (kc, kout, kerr) = render("kit", &dir, tz);
        assert_eq!(hc, 0, "helm with TZ={tz:?}: {herr}");
        assert_eq!(kc, 0, "kit with TZ={tz:?}: {kerr}");
        assert_eq!(kout, hout, "TZ={tz:?}: kit (left) is not helm (right)");
    }
}
