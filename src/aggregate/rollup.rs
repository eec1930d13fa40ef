//! Progress roll-up rules: how a set of percentages becomes one.

use rust_decimal::Decimal;

use crate::aggregate::format::round_half_up;
use crate::content::words::RollupRule;

/// Combine `(value, weight)` pairs under a rule. Returns the exact mean and the rolled-up figure,
/// or `None` when there is nothing to combine.
///
/// - `floor mean`: the floor of the unweighted mean, the seed's own rule;
/// - `round mean`: the unweighted mean rounded half-up;
/// - `weighted`: the weighted mean rounded half-up (weights default to 1).
pub fn roll_up(rule: RollupRule, parts: &[(Decimal, Decimal)]) -> Option<(Decimal, Decimal)> {
    if parts.is_empty() {
        return None;
    }
    let (sum, weight) = match rule {
        RollupRule::Weighted => parts
            .iter()
            .fold((Decimal::ZERO, Decimal::ZERO), |(s, w), (v, wt)| {
                (s + v * wt, w + wt)
            }),
        _ => (
            parts.iter().map(|(v, _)| *v).sum(),
            Decimal::from(parts.len()),
        ),
    };
    if weight <= Decimal::ZERO {
        return None;
    }
    let mean = sum / weight;
    let figure = match rule {
        RollupRule::FloorMean => mean.floor(),
        RollupRule::RoundMean | RollupRule::Weighted => round_half_up(mean),
    };
    Some((mean.normalize(), figure))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    fn ones(v: &[i64]) -> Vec<(Decimal, Decimal)> {
        v.iter().map(|n| (d(*n), Decimal::ONE)).collect()
    }

    #[test]
    fn the_seed_rule() {
        // Improving Outcomes objective 4: activities 55 and 50 average 52.5; the floor is 52.
        let (mean, fig) = roll_up(RollupRule::FloorMean, &ones(&[55, 50])).unwrap();
        assert_eq!(mean.to_string(), "52.5");
        assert_eq!(fig, d(52));
        let (_, fig) = roll_up(RollupRule::RoundMean, &ones(&[55, 50])).unwrap();
        assert_eq!(fig, d(53));
        // Improving Capacity's stated objective figures: 280 / 5 = 56.
        let (_, fig) = roll_up(RollupRule::FloorMean, &ones(&[58, 57, 48, 55, 62])).unwrap();
        assert_eq!(fig, d(56));
    }

    #[test]
    fn weighted() {
        let parts = [(d(100), d(3)), (d(0), d(1))];
        let (mean, fig) = roll_up(RollupRule::Weighted, &parts).unwrap();
        assert_eq!(mean, d(75));
        assert_eq!(fig, d(75));
        assert!(roll_up(RollupRule::Weighted, &[(d(5), d(0))]).is_none());
        assert!(roll_up(RollupRule::FloorMean, &[]).is_none());
    }

    proptest! {
        #[test]
        fn order_does_not_matter(mut v in proptest::collection::vec(0i64..=100, 1..40)) {
            let a = roll_up(RollupRule::FloorMean, &ones(&v));
            v.reverse();
            let b = roll_up(RollupRule::FloorMean, &ones(&v));
            prop_assert_eq!(a, b);
        }

        #[test]
        fn figure_stays_within_the_parts(v in proptest::collection::vec(0i64..=100, 1..40)) {
            for rule in RollupRule::ALL {
                let (_, fig) = roll_up(*rule, &ones(&v)).unwrap();
                let lo = *v.iter().min().unwrap();
                let hi = *v.iter().max().unwrap();
                prop_assert!(d(lo) <= fig && fig <= d(hi));
            }
        }
    }
}
