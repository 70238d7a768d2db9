//! Reference semantics of the pure stack opcodes (arithmetic, comparison, bitwise), written
//! from the Yellow Paper definitions on 256-bit words.

use alloy_primitives::{I256, U256};

/// The result of a pure opcode on its inputs (top of stack first), or `None` if `op` is not a
/// pure two/three-operand or one-operand opcode.
pub fn eval(op: u8, a: U256, b: U256, c: U256) -> Option<U256> {
    let bool_word = |x: bool| U256::from(x as u8);
    let signed = |x: U256| I256::from_raw(x);
    Some(match op {
        0x01 => a.wrapping_add(b),
        0x02 => a.wrapping_mul(b),
        0x03 => a.wrapping_sub(b),
        0x04 => a.checked_div(b).unwrap_or_default(),
        0x05 => {
            if b.is_zero() {
                U256::ZERO
            } else {
                signed(a).wrapping_div(signed(b)).into_raw()
            }
        }
        0x06 => a.checked_rem(b).unwrap_or_default(),
        0x07 => {
            if b.is_zero() {
                U256::ZERO
            } else {
                signed(a).wrapping_rem(signed(b)).into_raw()
            }
        }
        0x08 => {
            if c.is_zero() {
                U256::ZERO
            } else {
                a.add_mod(b, c)
            }
        }
        0x09 => {
            if c.is_zero() {
                U256::ZERO
            } else {
                a.mul_mod(b, c)
            }
        }
        0x0a => a.wrapping_pow(b),
        0x0b => {
            // SIGNEXTEND(k, x): extend the sign of byte k (0 = least significant).
            if a >= U256::from(31) {
                b
            } else {
                let bit = a.to::<usize>() * 8 + 7;
                let mask = (U256::from(1) << bit) - U256::from(1);
                if b.bit(bit) {
                    b | !mask
                } else {
                    b & mask
                }
            }
        }
        0x10 => bool_word(a < b),
        0x11 => bool_word(a > b),
        0x12 => bool_word(signed(a) < signed(b)),
        0x13 => bool_word(signed(a) > signed(b)),
        0x14 => bool_word(a == b),
        0x15 => bool_word(a.is_zero()),
        0x16 => a & b,
        0x17 => a | b,
        0x18 => a ^ b,
        0x19 => !a,
        0x1a => {
            // BYTE(i, x): byte i of x, 0 = most significant.
            if a >= U256::from(32) {
                U256::ZERO
            } else {
                U256::from(b.byte(31 - a.to::<usize>()))
            }
        }
        0x1b => {
            if a >= U256::from(256) {
                U256::ZERO
            } else {
                b << a.to::<usize>()
            }
        }
        0x1c => {
            if a >= U256::from(256) {
                U256::ZERO
            } else {
                b >> a.to::<usize>()
            }
        }
        0x1d => {
            let negative = b.bit(255);
            if a >= U256::from(256) {
                if negative {
                    U256::MAX
                } else {
                    U256::ZERO
                }
            } else {
                signed(b).asr(a.to::<usize>()).into_raw()
            }
        }
        0x1e => U256::from(a.leading_zeros()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_cases() {
        let min = U256::from(1) << 255;
        let minus_one = U256::MAX;
        // SDIV(−2^255, −1) wraps to −2^255.
        assert_eq!(eval(0x05, min, minus_one, U256::ZERO), Some(min));
        // SMOD sign follows the dividend: −7 smod 3 = −1.
        let m7 = U256::ZERO.wrapping_sub(U256::from(7));
        assert_eq!(eval(0x07, m7, U256::from(3), U256::ZERO), Some(minus_one));
        assert_eq!(
            eval(0x04, U256::from(7), U256::ZERO, U256::ZERO),
            Some(U256::ZERO)
        );
        assert_eq!(
            eval(0x09, U256::MAX, U256::MAX, U256::ZERO),
            Some(U256::ZERO)
        );
        assert_eq!(
            eval(0x1a, U256::from(31), U256::from(0xab), U256::ZERO),
            Some(U256::from(0xab))
        );
        assert_eq!(
            eval(0x1a, U256::from(32), U256::MAX, U256::ZERO),
            Some(U256::ZERO)
        );
        assert_eq!(
            eval(0x1d, U256::from(300), min, U256::ZERO),
            Some(U256::MAX)
        );
        assert_eq!(
            eval(0x0b, U256::ZERO, U256::from(0x80), U256::ZERO),
            Some(U256::MAX - U256::from(0x7f))
        );
        assert_eq!(
            eval(0x1e, U256::ZERO, U256::ZERO, U256::ZERO),
            Some(U256::from(256))
        );
        assert_eq!(
            eval(0x1e, U256::from(1), U256::ZERO, U256::ZERO),
            Some(U256::from(255))
        );
    }
}
