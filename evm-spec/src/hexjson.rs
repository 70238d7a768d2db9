//! Typed access to the hex-encoded JSON values of Ethereum test fixtures.
//!
//! Each accessor takes the JSON path of the value (for error messages) and returns
//! [`Error::Field`] naming that path when the value is missing or malformed, so that a bad
//! fixture is reported precisely instead of panicking.

use crate::error::{Error, Result};
use alloy_primitives::{Address, Bytes, B256, U256};
use serde_json::{Map, Value};

/// A JSON object together with its path inside the test case.
#[derive(Clone, Copy)]
pub struct Obj<'a> {
    /// The object.
    pub map: &'a Map<String, Value>,
    /// Its JSON path (e.g. `transaction`).
    pub path: &'a str,
}

fn err(field: impl Into<String>, msg: impl Into<String>) -> Error {
    Error::Field {
        field: field.into(),
        msg: msg.into(),
    }
}

/// Joins a parent path and a key.
pub fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// Interprets `v` as an object.
pub fn as_obj<'a>(v: &'a Value, path: &'a str) -> Result<Obj<'a>> {
    v.as_object()
        .map(|map| Obj { map, path })
        .ok_or_else(|| err(path, "expected a JSON object"))
}

/// Interprets `v` as an array.
pub fn as_array<'a>(v: &'a Value, path: &str) -> Result<&'a Vec<Value>> {
    v.as_array()
        .ok_or_else(|| err(path, "expected a JSON array"))
}

/// Interprets `v` as a string.
pub fn as_str<'a>(v: &'a Value, path: &str) -> Result<&'a str> {
    v.as_str().ok_or_else(|| err(path, "expected a string"))
}

impl<'a> Obj<'a> {
    /// The value of `key`, or a "missing field" error.
    pub fn get(&self, key: &str) -> Result<&'a Value> {
        self.map
            .get(key)
            .ok_or_else(|| err(join(self.path, key), "missing field"))
    }

    /// The value of `key` if present and not `null`.
    pub fn opt(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// `key` as a hex quantity that fits in 64 bits.
    pub fn u64(&self, key: &str) -> Result<u64> {
        parse_u64(self.get(key)?, &join(self.path, key))
    }

    /// `key` as a 256-bit hex quantity.
    pub fn u256(&self, key: &str) -> Result<U256> {
        parse_u256(self.get(key)?, &join(self.path, key))
    }

    /// `key` as a 32-byte hash.
    pub fn b256(&self, key: &str) -> Result<B256> {
        parse_b256(self.get(key)?, &join(self.path, key))
    }

    /// `key` as a 20-byte address.
    pub fn address(&self, key: &str) -> Result<Address> {
        parse_address(self.get(key)?, &join(self.path, key))
    }

    /// `key` as hex bytes.
    pub fn bytes(&self, key: &str) -> Result<Bytes> {
        parse_bytes(self.get(key)?, &join(self.path, key))
    }

    /// `key` as a nested object.
    pub fn obj(&self, key: &str, path: &'a str) -> Result<Obj<'a>> {
        as_obj(self.get(key)?, path)
    }
}

/// Strips the `0x` prefix; quantities and data in fixtures are always 0x-prefixed.
fn strip<'s>(s: &'s str, path: &str) -> Result<&'s str> {
    s.strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .ok_or_else(|| {
            err(
                path,
                format!("expected a 0x-prefixed hex string, got {s:?}"),
            )
        })
}

/// Parses a hex quantity (`0x` followed by up to 64 hex digits; `0x` alone is zero).
pub fn parse_u256(v: &Value, path: &str) -> Result<U256> {
    let s = as_str(v, path)?;
    let digits = strip(s, path)?;
    if digits.is_empty() {
        return Ok(U256::ZERO);
    }
    U256::from_str_radix(digits, 16).map_err(|e| err(path, format!("bad hex quantity {s:?}: {e}")))
}

/// Parses a hex quantity that must fit in 64 bits.
pub fn parse_u64(v: &Value, path: &str) -> Result<u64> {
    let x = parse_u256(v, path)?;
    u64::try_from(x).map_err(|_| err(path, format!("quantity {x:#x} does not fit in 64 bits")))
}

/// Parses a hex quantity that must fit in 128 bits.
pub fn parse_u128(v: &Value, path: &str) -> Result<u128> {
    let x = parse_u256(v, path)?;
    u128::try_from(x).map_err(|_| err(path, format!("quantity {x:#x} does not fit in 128 bits")))
}

/// Parses hex data of any length.
pub fn parse_bytes(v: &Value, path: &str) -> Result<Bytes> {
    let s = as_str(v, path)?;
    let digits = strip(s, path)?;
    alloy_primitives::hex::decode(digits)
        .map(Bytes::from)
        .map_err(|e| err(path, format!("bad hex data: {e}")))
}

/// Parses hex data of exactly `N` bytes; shorter quantities (e.g. storage keys `0x01`) are
/// left-padded with zeros when `pad` is set.
fn parse_fixed<const N: usize>(v: &Value, path: &str, pad: bool) -> Result<[u8; N]> {
    let s = as_str(v, path)?;
    let digits = strip(s, path)?;
    let mut padded;
    let digits = if digits.len() % 2 == 1 {
        padded = String::with_capacity(digits.len() + 1);
        padded.push('0');
        padded.push_str(digits);
        padded.as_str()
    } else {
        digits
    };
    let raw = alloy_primitives::hex::decode(digits)
        .map_err(|e| err(path, format!("bad hex data: {e}")))?;
    if raw.len() > N || (!pad && raw.len() != N) {
        return Err(err(path, format!("expected {N} bytes, got {}", raw.len())));
    }
    let mut out = [0u8; N];
    out[N - raw.len()..].copy_from_slice(&raw);
    Ok(out)
}

/// Parses a 32-byte hash (exactly 32 bytes).
pub fn parse_b256(v: &Value, path: &str) -> Result<B256> {
    parse_fixed::<32>(v, path, false).map(B256::from)
}

/// Parses a 20-byte address (exactly 20 bytes).
pub fn parse_address(v: &Value, path: &str) -> Result<Address> {
    parse_fixed::<20>(v, path, false).map(Address::from)
}

/// Parses an address used as a JSON object key; EEST keys are full 20-byte hex.
pub fn parse_address_key(key: &str, path: &str) -> Result<Address> {
    parse_address(&Value::String(key.to_string()), path)
}

/// Parses a storage key or value used as a JSON object key (a hex quantity).
pub fn parse_u256_key(key: &str, path: &str) -> Result<U256> {
    parse_u256(&Value::String(key.to_string()), path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quantities_parse_and_reject_garbage() {
        assert_eq!(parse_u64(&json!("0x0a"), "x").ok(), Some(10));
        assert_eq!(parse_u64(&json!("0x"), "x").ok(), Some(0));
        assert!(parse_u64(&json!("0xzz"), "x").is_err());
        assert!(parse_u64(&json!("12"), "x").is_err());
        assert!(parse_u64(&json!(12), "x").is_err());
        assert!(parse_u64(&json!("0x10000000000000000"), "x").is_err());
        let e = parse_address(&json!("0x12"), "transaction.sender").unwrap_err();
        assert!(e.to_string().contains("transaction.sender"), "{e}");
    }
}
