//! Progress roll-up rules: how a set of percentages becomes one.

use rust_decimal::Decimal;

use crate::aggregate::format::round_half_up;
use crate::read::words::RollupRule;

/// Combine `(value, weight)` pairs under a rule. Returns the exact mean and the rolled-up figure,
/// or `None` when there is nothing to combine (or, weighted, no weight to divide by). Weights
/// are the author's, so a sum or product can be too large for `Decimal`: that is an error
/// holding the index of the part where it arose.
///
/// - `floor mean`: the floor of the unweighted mean, the seed's own rule;
/// - `round mean`: the unweighted mean rounded half-up;
/// - `weighted`: the weighted mean rounded half-up (weights default to 1).
pub fn roll_up(
    rule: RollupRule,
    parts: &[(Decimal, Decimal)],
) -> Result<Option<(Decimal, Decimal)>, usize> {
    if parts.is_empty() {
        return Ok(None);
    }
    let mut sum = Decimal::ZERO;
    let mut weight = Decimal::ZERO;
    for (i, (v, wt)) in parts.iter().enumerate() {
        let wt = if rule == RollupRule::Weighted {
            *wt
        } else {
            Decimal::ONE
        };
        sum = v
            .checked_mul(wt)
            .and_then(|x| sum.checked_add(x))
            .ok_or(i)?;
        weight = weight.checked_add(wt).ok_or(i)?;
    }
    if weight <= Decimal::ZERO {
        return Ok(None);
    }
    let mean = sum.checked_div(weight).ok_or(parts.len() - 1)?;
    let figure = match rule {
        RollupRule::FloorMean => mean.floor(),
        RollupRule::RoundMean | RollupRule::Weighted => round_half_up(mean),
    };
    Ok(Some((mean.normalize(), figure)))
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
        let (mean, fig) = roll_up(RollupRule::FloorMean, &ones(&[55, 50]))
            .unwrap()
            .unwrap();
        assert_eq!(mean.to_string(), "52.5");
        assert_eq!(fig, d(52));
        let (_, fig) = roll_up(RollupRule::RoundMean, &ones(&[55, 50]))
            .unwrap()
            .unwrap();
        assert_eq!(fig, d(53));
        // Improving Capacity's stated objective figures: 280 / 5 = 56.
        let (_, fig) = roll_up(RollupRule::FloorMean, &ones(&[58, 57, 48, 55, 62]))
            .unwrap()
            .unwrap();
        assert_eq!(fig, d(56));
    }

    #[test]
    fn weighted() {
        let parts = [(d(100), d(3)), (d(0), d(1))];
        let (mean, fig) = roll_up(RollupRule::Weighted, &parts).unwrap().unwrap();
        assert_eq!(mean, d(75));
        assert_eq!(fig, d(75));
        assert!(
            roll_up(RollupRule::Weighted, &[(d(5), d(0))])
                .unwrap()
                .is_none()
        );
        assert!(roll_up(RollupRule::FloorMean, &[]).unwrap().is_none());
        // Weights of 1e27: the sum of products is past what `Decimal` holds.
        let huge = Decimal::from_scientific("1e27").unwrap();
        assert_eq!(
            roll_up(RollupRule::Weighted, &[(d(50), huge), (d(50), huge)]),
            Err(1)
        );
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
                let (_, fig) = roll_up(*rule, &ones(&v)).unwrap().unwrap();
                let lo = *v.iter().min().unwrap();
                let hi = *v.iter().max().unwrap();
                prop_assert!(d(lo) <= fig && fig <= d(hi));
            }
        }
    }
}
