//! The money parser on any text: never panics, and what it accepts is exact and within the
//! digit limit, and round-trips through its own plain form.
#![no_main]

use boardpack::read::money::parse_money;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(d) = parse_money(text) {
        let plain = d.to_string();
        let again = parse_money(&plain).expect("a parsed amount's plain form parses again");
        assert_eq!(d, again, "{text:?} -> {plain:?} -> {again}");
    }
});
