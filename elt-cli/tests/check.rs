//! `elt check`: text and JSON output, exit status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ELT: &str = env!("CARGO_BIN_EXE_elt");

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../wsdl/elt/examples")
        .join(name)
}

/// A scratch directory of its own under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("elt-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The first example report with `from` replaced by `to` (which must occur).
fn variant(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(example("tidredovisning-1.xml")).unwrap();
    assert!(text.contains(from), "{from}");
    let path = dir.join(name);
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

fn elt(args: &[&Path]) -> Output {
    let mut cmd = Command::new(ELT);
    cmd.arg("check");
    cmd.args(args);
    cmd.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn a_clean_report_prints_its_hours_and_exits_0() {
    let path = example("tidredovisning-1.xml");
    let out = elt(&[&path]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = stdout(&out);
    let file = path.display().to_string();
    assert!(
        text.contains(&format!(
            "{file}: report 3f2c8a1e-5b7d-4c9a-9e21-7d4b6a0c1f58, month 2016-09, digest 74054e4896c10276c6db4e790b82ea2bf94b89e298b7e2265f2fc4bc2f18c0dc: 0 error(s), 0 warning(s)"
        )),
        "{text}"
    );
    assert!(
        text.contains("  2016-09-01      4:30      1:00           2:00   7:30"),
        "{text}"
    );
    assert!(
        text.contains("  month          13:00      1:00           2:00  16:00"),
        "{text}"
    );
}

#[test]
fn an_error_is_printed_with_file_path_rule_and_message_and_exits_1() {
    let dir = scratch("errors");
    let bad = variant(&dir, "bad.xml", "<dag>30</dag>", "<dag>31</dag>");
    let warned = variant(
        &dir,
        "warned.xml",
        "<redovisningsmanad>2016-09</redovisningsmanad>",
        "<redovisningsmanad>2016-10</redovisningsmanad>",
    );
    let good = example("tidredovisning-2.xml");
    let out = elt(&[&good, &bad]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "{}: error: /Tidredovisning/tidrapport/rapportRad[4]/dag [day.exists] day 31 does not exist in 2016-09, which has 30 days",
            bad.display()
        )),
        "{text}"
    );
    assert!(
        text.contains("rows left out of the sums (see the errors above): 4"),
        "{text}"
    );
    // Both files are reported.
    assert!(
        text.contains(&format!("{}: report 9b0e4d27", good.display())),
        "{text}"
    );

    // The same report in October 2016 is clean; with a row starting in the repeated hour of
    // 30 October 2016 it has a warning only: exit 0.
    let out = elt(&[&warned]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        stdout(&out).contains("0 error(s), 0 warning(s)"),
        "{}",
        stdout(&out)
    );
    let repeated = variant(
        &dir,
        "repeated.xml",
        "<redovisningsmanad>2016-09</redovisningsmanad>",
        "<redovisningsmanad>2016-10</redovisningsmanad>",
    );
    let text = std::fs::read_to_string(&repeated).unwrap().replacen(
        "<dag>30</dag>\n      <fromTid>08.00</fromTid>",
        "<dag>30</dag>\n      <fromTid>02.30</fromTid>",
        1,
    );
    std::fs::write(&repeated, text).unwrap();
    let out = elt(&[&repeated]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        stdout(&out).contains(
            "warning: /Tidredovisning/tidrapport/rapportRad[4]/fromTid [time.repeated-hour]"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn json_output() {
    let dir = scratch("json");
    let bad = variant(
        &dir,
        "bad.xml",
        "<tomTid>12.00</tomTid>",
        "<tomTid>07.00</tomTid>",
    );
    let mut cmd = Command::new(ELT);
    let out = cmd
        .args(["check", "--json"])
        .arg(&bad)
        .arg(example("tidredovisning-1.xml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 1);
    assert_eq!(v["warnings"], 0);
    let f = &v["files"][0];
    assert_eq!(f["file"], bad.display().to_string());
    assert_eq!(f["findings"][0]["severity"], "error");
    assert_eq!(f["findings"][0]["rule"], "row.order");
    assert_eq!(
        f["findings"][0]["path"],
        "/Tidredovisning/tidrapport/rapportRad[1]/tomTid"
    );
    assert!(
        f["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("two rows")
    );
    assert_eq!(f["summary"]["rowsLeftOut"], serde_json::json!([1]));
    let clean = &v["files"][1];
    assert_eq!(clean["findings"], serde_json::json!([]));
    assert_eq!(clean["summary"]["total"]["aktivTid"], 780);
    assert_eq!(clean["summary"]["total"]["total"], 960);
    assert_eq!(clean["summary"]["days"][0]["date"], "2016-09-01");
    assert_eq!(
        clean["digest"],
        "74054e4896c10276c6db4e790b82ea2bf94b89e298b7e2265f2fc4bc2f18c0dc"
    );
}

#[test]
fn an_unreadable_file_exits_2_and_the_others_are_still_checked() {
    let dir = scratch("unreadable");
    let missing = dir.join("missing.xml");
    let not_report = dir.join("other.xml");
    std::fs::write(&not_report, "<a/>").unwrap();
    let out = elt(&[&missing, &not_report, &example("tidredovisning-1.xml")]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "{}: error: cannot read the file",
            missing.display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}: error: the report is not a valid Tidredovisning",
            not_report.display()
        )),
        "{text}"
    );
    assert!(text.contains("month          13:00"), "{text}");

    let out = Command::new(ELT).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "no files is a usage error");
}
