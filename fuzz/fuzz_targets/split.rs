//! Front-matter splitting on any text: never panics, and the ranges it returns lie inside the
//! text, on character boundaries, in order.
#![no_main]

use boardpack::content::front_matter::split;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(s) = split(text) {
        assert!(s.front.start <= s.front.end, "front range is backwards");
        assert!(
            s.front.end <= s.body.start,
            "body starts inside the front matter"
        );
        assert!(s.body.end == text.len(), "body does not run to the end");
        assert!(
            text.get(s.front.clone()).is_some(),
            "front not on char boundaries"
        );
        assert!(
            text.get(s.body.clone()).is_some(),
            "body not on char boundaries"
        );
    }
});
