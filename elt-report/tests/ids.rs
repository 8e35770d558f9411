//! Identity numbers: the typed-in forms, each rule in both directions.

use elt_report::ids::{OrganisationKind, luhn_check_digit};
use elt_report::jiff::civil::{Date, date};
use elt_report::{Organisationsnummer, Personnummer};

const TODAY: Date = date(2026, 12, 2);

#[test]
fn the_check_digits_of_the_tax_agency_test_numbers() {
    // Worked by hand: 1212121212 → 2·1 + 2 + 2·1 + 2 + ... = 18, so 2; 9001012385 → 5.
    assert_eq!(luhn_check_digit(&[1, 2, 1, 2, 1, 2, 1, 2, 1]), 2);
    assert_eq!(luhn_check_digit(&[9, 0, 0, 1, 0, 1, 2, 3, 8]), 5);
    assert_eq!(luhn_check_digit(&[5, 5, 9, 9, 0, 0, 1, 2, 3]), 6);
}

#[test]
fn typed_forms_become_the_schemas_twelve_digits() {
    let ok = [
        ("191212121212", "191212121212"),
        ("19121212-1212", "191212121212"),
        ("121212-1212", "201212121212"), // 14 years old on TODAY
        ("1212121212", "201212121212"),
        ("121212+1212", "191212121212"), // 100 or older
        ("900101-2385", "199001012385"),
        ("199001012385", "199001012385"),
        (" 20121212-1212 ", "201212121212"),
        ("191212721219", "191212721219"), // samordningsnummer, day 12 + 60
        ("121272-1219", "201212721219"),
        // Born today: `-` gives this century.
        ("261202-0004", "202612020004"),
        ("261202+0004", "192612020004"),
    ];
    for (text, want) in ok {
        let p = Personnummer::parse(text, TODAY).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(p.as_str(), want, "{text}");
    }
    let p = Personnummer::parse("121272-1219", TODAY).unwrap();
    assert!(p.is_samordningsnummer());
    assert_eq!(p.birth_date(), date(2012, 12, 12));
    assert_eq!(p.display_form(), "20121272-1219");
    assert!(
        !Personnummer::parse("191212121212", TODAY)
            .unwrap()
            .is_samordningsnummer()
    );
}

#[test]
fn the_century_of_ten_digit_forms_depends_on_the_reference_date() {
    // 261203 is tomorrow: with `-` the person was born in 1926 (a birth date cannot be in the
    // future, so a century earlier), with `+` in 1826.
    assert_eq!(
        Personnummer::parse("261203-0003", TODAY).unwrap().as_str(),
        "192612030003"
    );
    assert_eq!(
        Personnummer::parse("261203+0003", TODAY).unwrap().as_str(),
        "182612030003"
    );
    // The same number read a day later is someone born that day.
    assert_eq!(
        Personnummer::parse("261203-0003", date(2026, 12, 3))
            .unwrap()
            .as_str(),
        "202612030003"
    );
    assert_eq!(
        Personnummer::parse("121212+1212", date(2013, 1, 1))
            .unwrap()
            .as_str(),
        "191212121212"
    );
    assert_eq!(
        Personnummer::parse("121212-1212", date(2013, 1, 1))
            .unwrap()
            .as_str(),
        "201212121212"
    );
    assert_eq!(
        Personnummer::parse("121212-1212", date(2012, 12, 11))
            .unwrap()
            .as_str(),
        "191212121212"
    );
}

#[test]
fn each_rule_refuses_with_its_name() {
    let cases: &[(&str, &str)] = &[
        ("19121212121", "id.format"),
        ("1912121212123", "id.format"),
        ("19121212x1212", "id.format"),
        ("191212121212+", "id.format"),
        ("19121212+1212", "id.format"), // `+` with the century written
        ("abcdefghijkl", "id.format"),
        ("1212121å-12", "id.format"),
        ("åäö", "id.format"),
        ("191213121212", "id.date"), // month 13
        ("190230121212", "id.date"), // 30 February
        ("191212921212", "id.date"), // day 92: samordningsnummer day 32
        ("191212121213", "id.check-digit"),
        ("121212-1213", "id.check-digit"),
        ("20271212-1215", "id.future"), // a valid number of someone not born yet
    ];
    for (text, rule) in cases {
        let e = Personnummer::parse(text, TODAY).unwrap_err();
        assert_eq!(e.rule(), *rule, "{text}: {e}");
    }
    let e = Personnummer::parse("191212121213", TODAY).unwrap_err();
    assert_eq!(
        e.to_string(),
        "\"191212121213\": the check digit is 3, but the Luhn rule over the last ten digits gives 2"
    );
    // The schema form takes 12 digits only.
    assert_eq!(
        Personnummer::from_schema("19121212-1212")
            .unwrap_err()
            .rule(),
        "id.format"
    );
    assert!(Personnummer::from_schema("191212121212").is_ok());
    // The check digit is right; the schema form has no reference date, so no future check.
    assert!(Personnummer::from_schema("202712121215").is_ok());
}

#[test]
fn organisation_numbers() {
    for (text, want, kind) in [
        ("5599001236", "5599001236", OrganisationKind::LegalPerson),
        ("559900-1236", "5599001236", OrganisationKind::LegalPerson),
        ("165599001236", "5599001236", OrganisationKind::LegalPerson),
        ("9020012341", "9020012341", OrganisationKind::LegalPerson),
        ("1212121212", "1212121212", OrganisationKind::SoleTrader),
        ("121212-1212", "1212121212", OrganisationKind::SoleTrader),
    ] {
        let o = Organisationsnummer::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!((o.as_str(), o.kind()), (want, kind), "{text}");
    }
    for (text, rule) in [
        ("5599001237", "id.check-digit"),
        ("5513012343", "id.organisation-group"), // group 13, and month 13 is no date
        ("559900123", "id.format"),
        ("55990012366", "id.format"),
        ("175599001236", "id.format"),
        ("55990x1236", "id.format"),
        ("559900å236", "id.format"),
        ("5599001å236", "id.format"),
    ] {
        let e = Organisationsnummer::parse(text).unwrap_err();
        assert_eq!(e.rule(), rule, "{text}: {e}");
    }
    assert_eq!(
        Organisationsnummer::from_schema("559900-1236")
            .unwrap_err()
            .rule(),
        "id.format"
    );
}
