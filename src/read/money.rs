//! Money read exactly from its source text into `rust_decimal`, never through floating point.

use rust_decimal::Decimal;

/// The most significant digits a money amount may have. `Decimal` holds 28; a board's money
/// never needs more than 15, and refusing longer numbers keeps a typo from becoming a panic.
const MAX_DIGITS: usize = 20;

/// Read an amount written as a board paper writes it: `382319`, `382,319.45`, `£382,319.45`,
/// `-1,700,000`, `(1,700,000)` (brackets mean negative) or `£ 449,667`.
pub fn parse_money(text: &str) -> Result<Decimal, String> {
    let mut s = text.trim();
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    for sign in ['-', '\u{2212}'] {
        if let Some(rest) = s.strip_prefix(sign) {
            if negative {
                return Err("it has both brackets and a minus sign".into());
            }
            negative = true;
            s = rest.trim_start();
        }
    }
    for symbol in SYMBOLS {
        if let Some(rest) = s.strip_prefix(symbol) {
            s = rest.trim_start();
        }
    }
    if !negative && let Some(rest) = s.strip_prefix('-') {
        negative = true;
        s = rest;
    }
    if s.is_empty() {
        return Err("there is no number in it".into());
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    let digits = read_whole(whole)?;
    let mut plain = digits;
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err("the part after the decimal point must be digits".into());
        }
        plain.push('.');
        plain.push_str(f);
    }
    let significant = plain.trim_start_matches(['0', '.']).len();
    if significant > MAX_DIGITS {
        return Err(format!("it has more than {MAX_DIGITS} digits"));
    }
    let value = Decimal::from_str_exact(&plain).map_err(|e| e.to_string())?;
    Ok(if negative { -value } else { value })
}

/// The currency symbols money may be written with.
pub const SYMBOLS: [char; 3] = ['£', '$', '€'];

/// The symbol an amount that [`parse_money`] read was written with, if any.
pub fn currency_symbol(text: &str) -> Option<char> {
    text.chars().find(|c| SYMBOLS.contains(c))
}

/// Whether `symbol` writes amounts in the ISO 4217 `currency`. `$` is taken to be any of the
/// dollars that write it so.
pub fn symbol_fits(symbol: char, currency: &str) -> bool {
    let currency = currency.to_ascii_uppercase();
    match symbol {
        '£' => matches!(
            currency.as_str(),
            "GBP" | "GIP" | "FKP" | "SHP" | "JEP" | "GGP" | "IMP"
        ),
        '€' => currency == "EUR",
        '$' => matches!(
            currency.as_str(),
            "USD"
                | "AUD"
                | "CAD"
                | "NZD"
                | "HKD"
                | "SGD"
                | "TWD"
                | "BSD"
                | "BBD"
                | "BMD"
                | "BZD"
                | "FJD"
                | "JMD"
                | "KYD"
                | "LRD"
                | "NAD"
                | "SBD"
                | "SRD"
                | "TTD"
                | "XCD"
        ),
        _ => false,
    }
}

/// Digits before the point, with optional thousands separators in the right places.
fn read_whole(whole: &str) -> Result<String, String> {
    if whole.is_empty() {
        return Err("there are no digits before the decimal point".into());
    }
    if !whole.contains(',') {
        if whole.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(whole.to_string());
        }
        return Err("it contains characters that are not digits".into());
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    let all_digits = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    if !(first_ok && rest_ok && all_digits) {
        return Err("thousands separators must group digits in threes".into());
    }
    Ok(groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn reads_the_seed_forms() {
        assert_eq!(parse_money("382319").unwrap(), d("382319"));
        assert_eq!(parse_money("382319.45").unwrap(), d("382319.45"));
        assert_eq!(parse_money("£382,319.45").unwrap(), d("382319.45"));
        assert_eq!(parse_money("(1,700,000)").unwrap(), d("-1700000"));
        assert_eq!(parse_money("£ 449,667").unwrap(), d("449667"));
        assert_eq!(parse_money("-£552").unwrap(), d("-552"));
        assert_eq!(parse_money("£-552").unwrap(), d("-552"));
        assert_eq!(parse_money("(552)").unwrap(), d("-552"));
    }

    #[test]
    fn exact_decimal_arithmetic() {
        let sum = parse_money("0.1").unwrap() + parse_money("0.2").unwrap();
        assert_eq!(sum, d("0.3"));
        assert_eq!(sum.to_string(), "0.3");
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        for bad in [
            "", "£", "1,23", "12,3456", "1.2.3", "abc", "(-5)", "1.", "1e5", "12 345",
        ] {
            assert!(parse_money(bad).is_err(), "{bad:?} should be rejected");
        }
        let huge = "9".repeat(1000);
        assert!(parse_money(&huge).unwrap_err().contains("digits"));
    }
}
