//! UK number formatting, shared by pages, downloads and diagnostics: `£1,879,193`, negatives in
//! brackets `(45,594)`, whole per cents `(2%)`, with "(0%)" for a negative that rounds to zero.

use rust_decimal::{Decimal, RoundingStrategy};

/// Group the digits of a non-negative integer string in threes.
fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An amount in whole pounds, rounded half-up (away from zero), negatives in brackets,
/// without a currency symbol: `1,879,193`, `(45,594)`.
pub fn money(amount: Decimal) -> String {
    money_with(amount, 0)
}

/// An amount to `dp` decimal places, negatives in brackets.
pub fn money_with(amount: Decimal, dp: u32) -> String {
    let r = amount.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    let neg = r.is_sign_negative() && !r.is_zero();
    let abs = r.abs();
    let s = format!("{abs:.prec$}", prec = dp as usize);
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => (s, None),
    };
    let mut body = group(&whole);
    if let Some(f) = frac {
        body.push('.');
        body.push_str(&f);
    }
    if neg { format!("({body})") } else { body }
}

/// An amount with the pound sign: `£1,879,193`, `(£45,594)`.
pub fn pounds(amount: Decimal) -> String {
    let s = money(amount);
    match s.strip_prefix('(') {
        Some(rest) => format!("(£{rest}"),
        None => format!("£{s}"),
    }
}

/// Round half-up (away from zero) to a whole number.
pub fn round_half_up(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
}

/// A whole per cent with the seed's sign convention: `3%`, `(3%)`, and `(0%)` for a negative
/// that rounds to zero, so a reader can still see which side of the line it fell.
pub fn percent(value: Decimal) -> String {
    let r = round_half_up(value).abs();
    if value.is_sign_negative() && !value.is_zero() {
        format!("({r}%)")
    } else {
        format!("{r}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn money_in_the_seed_style() {
        assert_eq!(money(d("1879193")), "1,879,193");
        assert_eq!(money(d("-45594")), "(45,594)");
        assert_eq!(money(d("0")), "0");
        assert_eq!(money(d("-0.4")), "0");
        assert_eq!(money(d("999")), "999");
        assert_eq!(money(d("1000")), "1,000");
        assert_eq!(money(d("1234.5")), "1,235");
        assert_eq!(money_with(d("-1234.5"), 2), "(1,234.50)");
        assert_eq!(pounds(d("1879193")), "£1,879,193");
        assert_eq!(pounds(d("-45594")), "(£45,594)");
    }

    #[test]
    fn percent_in_the_seed_style() {
        assert_eq!(percent(d("-2.43")), "(2%)");
        assert_eq!(percent(d("-0.27")), "(0%)");
        assert_eq!(percent(d("0.06")), "0%");
        assert_eq!(percent(d("2.5")), "3%");
        assert_eq!(percent(d("-34.58")), "(35%)");
        assert_eq!(percent(d("0")), "0%");
    }
}
