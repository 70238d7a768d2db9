//! Why the EVM refused a transaction, in revm's words and in the Ethereum tests' names.
//!
//! A state test that expects a transaction to be refused names the reason
//! (`"expectException": "TransactionException.INTRINSIC_GAS_TOO_LOW"`, or several joined by
//! `|` when clients may disagree on which check fires first). Refusing it for another reason
//! is a failure, not a pass: a client that rejects everything would pass every such case.
//! [`Rejection::exceptions`] lists the names that describe revm's refusal; the runner checks
//! that the fixture's list shares one of them. (revm checks in its own order, so a
//! transaction breaking two rules, named by the one the specification checks first alone,
//! fails here: the suite usually names both.)

use revm::context_interface::result::InvalidTransaction;

/// The prefix of every transaction exception name in a state test.
const CLASS: &str = "TransactionException.";

/// A transaction the EVM refused before executing anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// revm's reason, for people.
    pub reason: String,
    /// The test suite's names for it (without the `TransactionException.` prefix); empty for a
    /// refusal the suite has no name for (a malformed header, a custom message).
    pub exceptions: &'static [&'static str],
}

impl Rejection {
    /// A refusal of the transaction itself.
    pub fn of_transaction(error: &InvalidTransaction) -> Self {
        Self {
            reason: error.to_string(),
            exceptions: exception_names(error),
        }
    }

    /// A refusal for a reason outside the transaction (the block header's), which no
    /// transaction exception names.
    pub fn unnamed(reason: String) -> Self {
        Self {
            reason,
            exceptions: &[],
        }
    }

    /// Whether `expected`, a fixture's `expectException` (names joined by `|`), names this
    /// refusal.
    pub fn is_expected(&self, expected: &str) -> bool {
        expected
            .split('|')
            .filter_map(|name| name.trim().strip_prefix(CLASS))
            .any(|name| self.exceptions.contains(&name))
    }
}

impl core::fmt::Display for Rejection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.reason)?;
        match self.exceptions {
            [] => Ok(()),
            names => write!(f, " ({CLASS}{})", names.join(&format!("|{CLASS}"))),
        }
    }
}

/// The test suite's names for a revm refusal. Where the suite splits one revm check into
/// several cases (a fee product overflowing, or merely exceeding the balance), every one of
/// them is listed.
fn exception_names(error: &InvalidTransaction) -> &'static [&'static str] {
    use InvalidTransaction as E;
    match error {
        E::PriorityFeeGreaterThanMaxFee => &[
            "PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS",
            "PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS_2",
        ],
        E::GasPriceLessThanBasefee => &["INSUFFICIENT_MAX_FEE_PER_GAS"],
        E::CallerGasLimitMoreThanBlock => &["GAS_ALLOWANCE_EXCEEDED"],
        // The specification checks the gas limit against the larger of the intrinsic gas and
        // EIP-7623's floor at once, so a fixture may name either where revm finds one.
        E::CallGasCostMoreThanGasLimit { .. } | E::GasFloorMoreThanGasLimit { .. } => &[
            "INTRINSIC_GAS_TOO_LOW",
            "INTRINSIC_GAS_BELOW_FLOOR_GAS_COST",
        ],
        E::RejectCallerWithCode => &["SENDER_NOT_EOA"],
        E::LackOfFundForMaxFee { .. } => &["INSUFFICIENT_ACCOUNT_FUNDS"],
        E::OverflowPaymentInTransaction => &[
            "INSUFFICIENT_ACCOUNT_FUNDS",
            "GASLIMIT_PRICE_PRODUCT_OVERFLOW",
            "VALUE_OVERFLOW",
        ],
        E::NonceOverflowInTransaction => &["NONCE_IS_MAX"],
        E::NonceTooHigh { .. } => &["NONCE_MISMATCH_TOO_HIGH"],
        E::NonceTooLow { .. } => &["NONCE_MISMATCH_TOO_LOW"],
        E::CreateInitCodeSizeLimit => &["INITCODE_SIZE_EXCEEDED"],
        E::InvalidChainId | E::MissingChainId => &["INVALID_CHAINID"],
        E::TxGasLimitGreaterThanCap { .. } => &["GAS_LIMIT_EXCEEDS_MAXIMUM"],
        E::BlobGasPriceGreaterThanMax { .. } => &["INSUFFICIENT_MAX_FEE_PER_BLOB_GAS"],
        E::EmptyBlobs => &["TYPE_3_TX_ZERO_BLOBS"],
        E::BlobCreateTransaction => &["TYPE_3_TX_CONTRACT_CREATION"],
        E::TooManyBlobs { .. } => &[
            "TYPE_3_TX_BLOB_COUNT_EXCEEDED",
            "TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED",
        ],
        E::BlobVersionNotSupported => &["TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH"],
        E::EmptyAuthorizationList => &["TYPE_4_EMPTY_AUTHORIZATION_LIST"],
        E::AuthorizationListInvalidFields => &["TYPE_4_INVALID_AUTHORIZATION_FORMAT"],
        // A field or type the fork does not have (none under Osaka but EOF's).
        E::AccessListNotSupported
        | E::MaxFeePerBlobGasNotSupported
        | E::BlobVersionedHashesNotSupported
        | E::AuthorizationListNotSupported
        | E::Eip2930NotSupported
        | E::Eip1559NotSupported
        | E::Eip4844NotSupported
        | E::Eip7702NotSupported
        | E::Eip7873NotSupported => &["TYPE_NOT_SUPPORTED"],
        E::Eip7873MissingTarget | E::Str(_) => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_matches_a_fixture_that_lists_one_of_its_names() {
        let low = Rejection::of_transaction(&InvalidTransaction::CallGasCostMoreThanGasLimit {
            initial_gas: 21_000,
            gas_limit: 20_000,
        });
        assert!(low.is_expected("TransactionException.INTRINSIC_GAS_TOO_LOW"));
        assert!(low.is_expected(
            "TransactionException.INSUFFICIENT_ACCOUNT_FUNDS|TransactionException.INTRINSIC_GAS_TOO_LOW"
        ));
        // Another reason, a bare name without its class, or another class's name: no match.
        for other in [
            "TransactionException.INSUFFICIENT_ACCOUNT_FUNDS",
            "INTRINSIC_GAS_TOO_LOW",
            "BlockException.INTRINSIC_GAS_TOO_LOW",
            "",
        ] {
            assert!(!low.is_expected(other), "{other}");
        }
        assert_eq!(
            low.to_string(),
            format!(
                "{} (TransactionException.INTRINSIC_GAS_TOO_LOW|\
                 TransactionException.INTRINSIC_GAS_BELOW_FLOOR_GAS_COST)",
                low.reason
            )
        );
        // The floor and the intrinsic gas are one check in the specification: either name.
        let floor = Rejection::of_transaction(&InvalidTransaction::GasFloorMoreThanGasLimit {
            gas_floor: 30_000,
            gas_limit: 25_000,
        });
        for name in [
            "INTRINSIC_GAS_TOO_LOW",
            "INTRINSIC_GAS_BELOW_FLOOR_GAS_COST",
        ] {
            assert!(floor.is_expected(&format!("TransactionException.{name}")));
            assert!(low.is_expected(&format!("TransactionException.{name}")));
        }
    }

    #[test]
    fn a_refusal_the_suite_has_no_name_for_matches_nothing() {
        let header = Rejection::unnamed("header: prevrandao not set".into());
        assert!(!header.is_expected("TransactionException.INTRINSIC_GAS_TOO_LOW"));
        assert_eq!(header.to_string(), "header: prevrandao not set");
        let custom = Rejection::of_transaction(&InvalidTransaction::Str("custom".into()));
        assert!(custom.exceptions.is_empty());
    }
}
