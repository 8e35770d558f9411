//! Redaction of captured bodies before they reach a log.
//!
//! Time reports carry personnummer and base64-encoded signed documents; a log must carry
//! neither. This works on text, not on parsed XML, so it also covers bodies that are not
//! well-formed (the ones most worth logging).

/// Replaces personnummer and base64 payloads in `text`:
/// - element text of at least 40 base64 characters (whitespace allowed, as line-wrapped base64
///   has it) becomes `[base64 N bytes redacted]`, N being the decoded length;
/// - a run of exactly 12 digits, or 8 or 6 digits, a `-` or `+`, then 4 digits (the written
///   forms `19121212-1212`, `121212-1212`), or 10 digits that read as a personnummer or
///   samordningsnummer (a date YYMMDD, day + 60 for a samordningsnummer, and a valid Luhn check digit), becomes `[personnummer redacted]`.
pub fn redact(text: &str) -> String {
    redact_personnummer(&redact_base64(text))
}

/// Fewest base64 characters in an element's text for it to count as a payload.
const MIN_BASE64_CHARS: usize = 40;

fn is_base64_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='
}

/// Redacts the text between `>` and the next `<` when it is all base64.
fn redact_base64(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(gt) = rest.find('>') {
        out.push_str(&rest[..=gt]);
        rest = &rest[gt + 1..];
        let end = rest.find('<').unwrap_or(rest.len());
        let content = &rest[..end];
        match base64_payload_len(content) {
            Some(bytes) => out.push_str(&format!("[base64 {bytes} bytes redacted]")),
            None => out.push_str(content),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Shortest line of line-wrapped base64 (encoders wrap at 64 or 76 characters); telling
/// wrapped base64 from prose by its line length keeps sentences from being redacted.
const MIN_WRAPPED_LINE: usize = 16;

/// The decoded length of `content` if it is a base64 payload of at least the minimum length.
fn base64_payload_len(content: &str) -> Option<usize> {
    let tokens: Vec<&str> = content.split_ascii_whitespace().collect();
    let (last, wrapped) = tokens.split_last()?;
    let is_base64 = |t: &str| t.chars().all(is_base64_char);
    // Every line but the last of wrapped base64 is a whole number of 4-character groups.
    if !is_base64(last)
        || wrapped
            .iter()
            .any(|t| !is_base64(t) || t.len() < MIN_WRAPPED_LINE || t.len() % 4 != 0)
    {
        return None;
    }
    let chars: usize = tokens.iter().map(|t| t.len()).sum();
    let padding = last.chars().rev().take_while(|&c| c == '=').count();
    (chars >= MIN_BASE64_CHARS).then(|| (chars / 4 * 3).saturating_sub(padding))
}

/// Redacts personnummer-shaped digit runs.
fn redact_personnummer(text: &str) -> String {
    const MARK: &str = "[personnummer redacted]";
    let b = text.as_bytes();
    let digits_from = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0; // bytes of `text` already in `out`
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        // `i` starts a maximal run of ASCII digits.
        let run = digits_from(i);
        let mut end = None;
        if run == 12 || (run == 10 && is_personnummer_shaped(&b[i..i + run])) {
            end = Some(i + run);
        } else if (run == 8 || run == 6)
            && matches!(b.get(i + run), Some(b'-' | b'+'))
            && i + run + 1 < b.len()
            && digits_from(i + run + 1) == 4
        {
            end = Some(i + run + 5);
        }
        match end {
            Some(end) => {
                // Digits and separators are ASCII, so these are char boundaries.
                out.push_str(&text[copied..i]);
                out.push_str(MARK);
                copied = end;
                i = end;
            }
            None => i += run,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Whether ten ASCII digits read as a personnummer or samordningsnummer written without
/// century or separator: a date `YYMMDD` (the day plus 60 in a samordningsnummer) and a valid
/// check digit. Organisation numbers of legal persons have a "month" of 20 or more and stay
/// readable; a sole trader's organisation number is the owner's personnummer and is redacted.
/// Other ten-digit values (Unix times, amounts) rarely pass both tests.
fn is_personnummer_shaped(digits: &[u8]) -> bool {
    let d = |k: usize| u32::from(digits[k] - b'0');
    let month = d(2) * 10 + d(3);
    let day = d(4) * 10 + d(5);
    let day = if day > 60 { day - 60 } else { day };
    (1..=12).contains(&month) && (1..=31).contains(&day) && luhn_valid(digits)
}

/// The Luhn check (weights 2, 1, 2, ... from the left) over ASCII digits, as the personnummer
/// check digit is computed.
fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let v = u32::from(c - b'0') * if k % 2 == 0 { 2 } else { 1 };
            v / 10 + v % 10
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_twelve_digit_runs() {
        assert_eq!(
            redact("<personnummer>191212121212</personnummer>"),
            "<personnummer>[personnummer redacted]</personnummer>"
        );
        // An organisation number of a legal person (month 61) and 13 digits stay.
        assert_eq!(redact("<o>5561231234</o>"), "<o>5561231234</o>");
        assert_eq!(redact("x1912121212121y"), "x1912121212121y");
        assert_eq!(
            redact("a 191212121212, b 201212121212."),
            "a [personnummer redacted], b [personnummer redacted]."
        );
    }

    /// The published test personnummer 19121212-1212 in its ten-digit form, and a
    /// samordningsnummer built from its date (day + 60, check digit computed), are redacted;
    /// ten digits without a date or with a wrong check digit stay.
    #[test]
    fn redacts_ten_digit_forms_that_read_as_personnummer() {
        assert_eq!(
            redact("<pnr>1212121212</pnr>"),
            "<pnr>[personnummer redacted]</pnr>"
        );
        assert_eq!(
            redact("<snr>1212721219</snr>"),
            "<snr>[personnummer redacted]</snr>"
        );
        // Wrong check digit; a Unix time (month 64); a date-shaped number of 11 digits.
        assert_eq!(redact("<x>1212121213</x>"), "<x>1212121213</x>");
        assert_eq!(redact("<t>1764230400</t>"), "<t>1764230400</t>");
        assert_eq!(redact("<n>12121212120</n>"), "<n>12121212120</n>");
    }

    #[test]
    fn redacts_written_forms_with_separator() {
        assert_eq!(
            redact("pnr 19121212-1212 och 121212+1212"),
            "pnr [personnummer redacted] och [personnummer redacted]"
        );
        // A date followed by a short number is not a personnummer.
        assert_eq!(redact("2024-05-01 121212-12"), "2024-05-01 121212-12");
    }

    #[test]
    fn redacts_base64_element_text() {
        let payload = "PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0iVVRGLTgiPz48YT4xPC9hPg==";
        let xml = format!("<t>{payload}</t><d>2024-05-01</d>");
        assert_eq!(
            redact(&xml),
            "<t>[base64 46 bytes redacted]</t><d>2024-05-01</d>"
        );
        // Line-wrapped base64 is still base64.
        let wrapped = format!("<t>\n  {}\n  {}\n</t>", &payload[..32], &payload[32..]);
        assert_eq!(redact(&wrapped), "<t>[base64 46 bytes redacted]</t>");
        // Short tokens and prose stay, even prose of base64 characters.
        assert_eq!(redact("<id>abc123</id>"), "<id>abc123</id>");
        assert_eq!(
            redact("<m>The signature is not valid for this document at all</m>"),
            "<m>The signature is not valid for this document at all</m>"
        );
    }

    #[test]
    fn digits_inside_base64_are_redacted_with_it() {
        let xml = "<t>MTkxMjEyMTIxMjEy191212121212MTkxMjEyMTIxMjEyMTkxMjEy</t>";
        assert_eq!(redact(xml), "<t>[base64 39 bytes redacted]</t>");
    }

    #[test]
    fn handles_non_ascii_and_odd_input() {
        assert_eq!(
            redact("Försäkringskassan 191212121212 å"),
            "Försäkringskassan [personnummer redacted] å"
        );
        assert_eq!(redact(""), "");
        assert_eq!(redact("<<>>"), "<<>>");
        assert_eq!(redact("121212-"), "121212-");
    }
}
