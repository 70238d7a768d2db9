use super::*;
use crate::check::{check_constraints, CheckError};
use crate::range::{self, RangeTable};
use crate::test_support::{claim, public};
use zkevm_field::{FieldElement, Quadratic};

/// The block's imbalance when the statement (standing in for the CPU) sends `sent` and the
/// prover pairs the table `columns` with the best range table it can: one counting every
/// 16-bit value the table looks up (a larger value has no row to match).
fn imbalance(columns: &[Vec<Goldilocks>], sent: &[Access]) -> Quadratic {
    let mut lookups = Vec::new();
    for r in 0..columns[0].len() {
        let values = row(columns, r);
        if kind_and_live(&values).1 == Goldilocks::ONE {
            for c in [col::DELTA_LO, col::DELTA_HI] {
                if let Ok(v) = u16::try_from(values[c].as_u64()) {
                    lookups.push(v);
                }
            }
        }
    }
    let range_table = range::trace_of(lookups);
    claim(&ReadWrite, columns) + claim(&RangeTable, &range_table) + public(&access_messages(sent))
}

fn caught(columns: &[Vec<Goldilocks>], sent: &[Access]) -> bool {
    matches!(
        check_constraints(&ReadWrite, columns),
        Err(CheckError::Violated(_))
    ) || imbalance(columns, sent) != Quadratic::ZERO
}

fn word(x: u32) -> [u32; LIMBS] {
    [x, 0, 0, 0, 0, 0, 0, x.rotate_left(16)]
}

fn access(ctr: u32, kind: Kind, ctx: u32, addr: u32, write: bool, v: u32) -> Access {
    Access {
        ctr,
        kind,
        ctx,
        addr,
        write,
        value: word(v),
    }
}

/// Two frames: pushes and pops, memory written, re-read and read fresh, call-context fields.
fn hand_made() -> Vec<Access> {
    use Kind::*;
    vec![
        access(0, CallContext, 0, 3, true, 32),
        access(1, Stack, 0, 0, true, 7),
        access(2, Stack, 0, 1, true, 9),
        access(3, Stack, 0, 1, false, 9),
        access(4, Stack, 0, 0, false, 7),
        access(5, Memory, 0, 2, true, 0xdead),
        access(6, Memory, 0, 5, false, 0),
        access(7, CallContext, 0, 3, false, 32),
        access(8, Stack, 1, 0, true, 1),
        access(9, Memory, 1, 0, false, 0),
        access(10, Memory, 0, 2, false, 0xdead),
        access(11, Memory, 0, 2, true, 0xbeef),
        access(12, Memory, 0, 2, false, 0xbeef),
        access(13, Stack, 1, 0, false, 1),
    ]
}

fn workload_accesses(name: &str) -> Vec<Access> {
    let path = zkevm_evm_spec::workload::default_path().unwrap();
    let workload =
        zkevm_evm_spec::workload::find(zkevm_evm_spec::workload::load(&path).unwrap(), name)
            .unwrap();
    let (_, witness) = workload.trace().unwrap();
    let (accesses, _) = super::accesses(&witness).unwrap();
    accesses
}

#[test]
fn honest_tables_satisfy_the_constraints_and_balance() {
    let mut cases = vec![("hand-made", hand_made())];
    for name in ["sstore_loop", "fib_loop"] {
        cases.push((name, workload_accesses(name)));
    }
    for (name, accesses) in cases {
        assert!(accesses.len() > 10, "{name}");
        let t = trace(&accesses).unwrap();
        check_constraints(&ReadWrite, &t.columns).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(imbalance(&t.columns, &accesses), Quadratic::ZERO, "{name}");
        // The range table built from the trace's own lookups is the honest one.
        assert_eq!(t.range_lookups.len(), 2 * accesses.len());
    }
}

#[test]
fn every_tampered_cell_is_caught() {
    let accesses = hand_made();
    let honest = trace(&accesses).unwrap().columns;
    let live_rows = accesses.len();
    // Reviewed don't-cares: none on live rows; on the first padding row only the kind flags
    // and `first_*` flags matter (they make it live or break booleanity), while ctx, addr, ctr,
    // write, values and δ enter nothing.
    let padding_dont_care = [
        col::CTX,
        col::ADDR,
        col::CTR,
        col::WRITE,
        col::DELTA_LO,
        col::DELTA_HI,
    ];
    for column in 0..honest.len() {
        for row in 0..=live_rows {
            let value_column = (col::VALUE..col::VALUE + LIMBS).contains(&column);
            if row == live_rows && (padding_dont_care.contains(&column) || value_column) {
                continue;
            }
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                let mut tampered = honest.clone();
                tampered[column][row] += delta;
                // first_* flags on the padding row: −1 breaks booleanity, +1 is harmless
                // (padding transitions are not checked), which is a don't-care.
                let flag = [col::FIRST_KIND, col::FIRST_CTX, col::FIRST_ADDR].contains(&column);
                if row == live_rows && flag && delta == Goldilocks::ONE {
                    continue;
                }
                assert!(
                    caught(&tampered, &accesses),
                    "{} {delta:?} at row {row} accepted",
                    ReadWrite::COLUMNS[column]
                );
            }
        }
    }
}

/// Changes one access's value both in the table and in what the "CPU" sent: the bus balances,
/// so only the constraints can catch the lie.
fn consistent_lie(accesses: &[Access], index: usize, value: [u32; LIMBS]) -> bool {
    let mut lied = accesses.to_vec();
    lied[index].value = value;
    let t = trace(&lied).unwrap();
    assert_eq!(imbalance(&t.columns, &lied), Quadratic::ZERO);
    check_constraints(&ReadWrite, &t.columns).is_err()
}

#[test]
fn reads_must_return_the_last_write() {
    let accesses = hand_made();
    // A stale read (memory word 2 read after its second write, returning the first value).
    assert!(consistent_lie(&accesses, 12, word(0xdead)));
    // A stack pop returning something never pushed.
    assert!(consistent_lie(&accesses, 3, word(10)));
    // A read of never-written memory returning non-zero.
    assert!(consistent_lie(&accesses, 6, word(1)));
    // A call-context read disagreeing with the frame's opening write.
    assert!(consistent_lie(&accesses, 7, word(64)));
    // A write may carry any value: changing one (and what follows it) is not a lie.
    let mut rewritten = accesses.clone();
    rewritten[11].value = word(5);
    rewritten[12].value = word(5);
    let t = trace(&rewritten).unwrap();
    check_constraints(&ReadWrite, &t.columns).unwrap();
}

#[test]
fn stack_and_call_context_start_with_a_write() {
    let mut accesses = hand_made();
    accesses.push(access(14, Kind::Stack, 1, 5, false, 0));
    let t = trace(&accesses).unwrap();
    assert!(check_constraints(&ReadWrite, &t.columns).is_err());
    let mut accesses = hand_made();
    accesses.push(access(14, Kind::CallContext, 1, 2, false, 0));
    let t = trace(&accesses).unwrap();
    assert!(check_constraints(&ReadWrite, &t.columns).is_err());
}

#[test]
fn rows_out_of_order_are_caught() {
    let accesses = hand_made();
    let honest = trace(&accesses).unwrap().columns;
    // Swap two rows of one address (a write and its later read) and redo flags and δ as a
    // cheating prover would: δ = ctr difference − 1 becomes negative, i.e. ≥ 2³² in the field.
    for (a, b) in [(1, 2), (3, 4), (2, 6)] {
        let mut swapped = honest.clone();
        for column in swapped.iter_mut() {
            column.swap(a, b);
        }
        for r in [a, b, b + 1] {
            let d = |c: usize| swapped[c][r] - swapped[c][r - 1];
            let (fk, fc, fa) = (
                swapped[col::FIRST_KIND][r],
                swapped[col::FIRST_CTX][r],
                swapped[col::FIRST_ADDR][r],
            );
            let same = Goldilocks::ONE - fk - fc - fa;
            let (kind, _) = kind_and_live(&row(&swapped, r));
            let (kind_prev, _) = kind_and_live(&row(&swapped, r - 1));
            let delta = fk * (kind - kind_prev - Goldilocks::ONE)
                + fc * (d(col::CTX) - Goldilocks::ONE)
                + fa * (d(col::ADDR) - Goldilocks::ONE)
                + same * (d(col::CTR) - Goldilocks::ONE);
            let v = delta.as_u64();
            swapped[col::DELTA_LO][r] = Goldilocks::new(v & 0xffff);
            swapped[col::DELTA_HI][r] = Goldilocks::new(v >> 16);
        }
        assert!(caught(&swapped, &accesses), "rows {a} and {b} swapped");
    }
}

fn row(columns: &[Vec<Goldilocks>], r: usize) -> Vec<Goldilocks> {
    columns.iter().map(|c| c[r]).collect()
}

#[test]
fn a_dropped_or_extra_access_unbalances() {
    let accesses = hand_made();
    let t = trace(&accesses[..accesses.len() - 1]).unwrap();
    assert_ne!(imbalance(&t.columns, &accesses), Quadratic::ZERO);
    let mut extra = accesses.clone();
    extra.push(access(14, Kind::Memory, 0, 9, true, 3));
    let t = trace(&extra).unwrap();
    assert_ne!(imbalance(&t.columns, &accesses), Quadratic::ZERO);
}

#[test]
fn duplicate_counters_are_errors() {
    let mut accesses = hand_made();
    accesses[5].ctr = 4;
    accesses[5].kind = Kind::Stack;
    accesses[5].ctx = 0;
    accesses[5].addr = 0;
    assert_eq!(trace(&accesses), Err(RwError::DuplicateCounter(4)));
}

#[test]
fn memory_words_beyond_32_bits_are_errors() {
    use zkevm_evm_spec::witness::Rw;
    let mut witness = Witness::default();
    witness.rw.push(Rw {
        write: true,
        target: RwTarget::Memory {
            frame: 0,
            word: 1 << 33,
        },
        value: Default::default(),
    });
    assert!(matches!(
        super::accesses(&witness),
        Err(RwError::TooLarge { ctr: 0, .. })
    ));
}
