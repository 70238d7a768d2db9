use super::*;
use crate::check::{check_block, check_constraints, CheckError, ConstraintKind};
use crate::copy::code_source;
use crate::test_support::{block_imbalance, claim, public};
use crate::{keccak, ComponentTrace, Direction};
use zkevm_field::{FieldElement, Quadratic};

/// PUSH1 0x5b JUMPDEST PUSH2 0x6001 PUSH32 (truncated: two data bytes) — a JUMPDEST byte hidden
/// in push data, a PUSH opcode byte hidden in push data, and a push running past the end.
const TRICKY: &[u8] = &[0x60, 0x5b, 0x5b, 0x61, 0x60, 0x01, 0x7f, 0xaa, 0xbb];
/// Every byte value once, as one code.
fn all_bytes() -> Vec<u8> {
    (0..=255u8).collect()
}

fn g(value: u64) -> Goldilocks {
    Goldilocks::new(value)
}

fn code_hashes(codes: &[&[u8]]) -> Vec<CodeHash> {
    codes.iter().map(|c| CodeHash::of(c)).collect()
}

/// What a sponge hashing `codes` honestly puts on the bus: every padded byte consumed, each
/// code's digest provided.
fn sponge_side(codes: &[&[u8]]) -> Vec<PublicMessage> {
    let mut messages = Vec::new();
    for (position, code) in codes.iter().enumerate() {
        let tag = g(CODE_HASH_TAG + code_id(position));
        for (i, &byte) in sponge::padded(code).iter().enumerate() {
            messages.push(PublicMessage {
                direction: Direction::Consume,
                ..PublicMessage::provide(SPONGE_BYTES, &[tag, g(i as u64), g(byte as u64)])
            });
        }
        let mut fields = vec![tag];
        let hash = Word::from_be_bytes(sponge::digest(code));
        fields.extend(crate::rw::limbs(&hash).map(|l| g(l as u64)));
        messages.push(PublicMessage::provide(HASH, &fields));
    }
    messages
}

/// The component's claim plus what the statement's codes and a sponge hashing them add: zero
/// when the trace holds exactly the statement's bytes (and nothing is fetched).
fn imbalance(columns: &[Vec<Goldilocks>], statement: &[&[u8]]) -> Quadratic {
    claim(&Bytecode, columns)
        + public(&public_messages(&code_hashes(statement)))
        + public(&sponge_side(statement))
}

fn no_fetches(_: usize, _: usize) -> Uses {
    Uses::default()
}

#[test]
fn push_analysis_follows_the_evm() {
    assert_eq!(
        opcode_positions(TRICKY),
        [true, false, true, true, false, false, true, false, false]
    );
    // Every PUSHn skips exactly n bytes.
    for n in 1..=32u8 {
        let mut code = vec![0x5f + n];
        code.extend(std::iter::repeat_n(0x5b, n as usize));
        code.push(0x00);
        let positions = opcode_positions(&code);
        assert!(positions[0] && positions[n as usize + 1]);
        assert!(positions[1..=n as usize].iter().all(|p| !p), "PUSH{n}");
    }
}

#[test]
fn honest_traces_satisfy_the_constraints_and_balance() {
    let all = all_bytes();
    let statements: Vec<Vec<&[u8]>> = vec![
        vec![TRICKY],
        vec![&[0x00]],
        vec![TRICKY, &all, &[0x7f], TRICKY],
    ];
    for codes in statements {
        let columns = trace(&codes, no_fetches).unwrap();
        check_constraints(&Bytecode, &columns).unwrap();
        assert_eq!(imbalance(&columns, &codes), Quadratic::ZERO);
        let is_code: Vec<bool> = codes
            .iter()
            .flat_map(|c| opcode_positions(&executed(c)))
            .collect();
        for (r, expected) in is_code.iter().enumerate() {
            assert_eq!(columns[col::IS_CODE][r] == Goldilocks::ONE, *expected);
        }
    }
}

#[test]
fn the_workloads_codes_satisfy_the_constraints() {
    let path = zkevm_evm_spec::workload::default_path().unwrap();
    let workloads = zkevm_evm_spec::workload::load(&path).unwrap();
    let codes: Vec<Vec<u8>> = workloads
        .iter()
        .flat_map(|w| w.pre.values().map(|a| a.code.to_vec()))
        .filter(|c| !c.is_empty())
        .collect();
    assert!(codes.len() >= 4, "expected the bench workloads' contracts");
    let codes: Vec<&[u8]> = codes.iter().map(Vec::as_slice).collect();
    let columns = trace(&codes, no_fetches).unwrap();
    check_constraints(&Bytecode, &columns).unwrap();
    assert_eq!(imbalance(&columns, &codes), Quadratic::ZERO);
}

/// Every complete PUSH1 … PUSH32 of `code` (id 1): the index of its last data byte and its
/// value as 32-bit limbs, computed from the big-endian data bytes.
fn expected_push_values(code: &[u8]) -> Vec<(usize, [u32; 8])> {
    let code = &executed(code);
    let positions = opcode_positions(code);
    let mut out = Vec::new();
    for (index, &byte) in code.iter().enumerate() {
        let n = push_size(byte) as usize;
        if !positions[index] || n == 0 || index + n >= code.len() {
            continue;
        }
        let mut be = [0u8; 32];
        be[32 - n..].copy_from_slice(&code[index + 1..=index + n]);
        let mut limbs = [0u32; 8];
        for (j, limb) in limbs.iter_mut().enumerate() {
            let at = 32 - 4 * (j + 1);
            *limb = u32::from_be_bytes(be[at..at + 4].try_into().unwrap());
        }
        out.push((index + n, limbs));
    }
    out
}

/// What a CPU pushing every complete PUSH of `code` (id 1) once takes from the bus.
fn push_consumption(code: &[u8]) -> Vec<PublicMessage> {
    expected_push_values(code)
        .into_iter()
        .map(|(index, limbs)| {
            let mut fields = vec![Goldilocks::new(code_id(0)), Goldilocks::new(index as u64)];
            fields.extend(limbs.iter().map(|&l| Goldilocks::new(l as u64)));
            PublicMessage {
                direction: crate::Direction::Consume,
                ..PublicMessage::provide(PUSH_VALUE, &fields)
            }
        })
        .collect()
}

/// Each PUSH opcode byte of `code` pushed once.
fn push_once(code: &[u8]) -> impl Fn(usize, usize) -> Uses + '_ {
    move |_, index| Uses {
        push_values: code.get(index).is_some_and(|&b| push_size(b) > 0) as u64,
        ..Uses::default()
    }
}

#[test]
fn push_values_are_the_data_bytes_big_endian() {
    // PUSH1 … PUSH32 with distinct data bytes, then the tricky code with its truncated PUSH32.
    let mut code = Vec::new();
    for n in 1..=32u8 {
        code.push(0x5f + n);
        code.extend((0..n).map(|i| n.wrapping_mul(37).wrapping_add(i.wrapping_mul(11))));
    }
    code.extend(TRICKY);
    let columns = trace(&[&code], push_once(&code)).unwrap();
    check_constraints(&Bytecode, &columns).unwrap();
    let consumed = push_consumption(&code);
    // TRICKY's PUSH32 runs past the end: the EVM reads zeros there, and so does the table.
    assert_eq!(consumed.len(), 32 + 3);
    let (_, truncated) = consumed[34].fields.split_at(2);
    assert_eq!(truncated[7], g(0xaabb_0000));
    assert!(truncated[..7].iter().all(|&l| l == Goldilocks::ZERO));
    assert_eq!(
        imbalance(&columns, &[&code]) + public(&consumed),
        Quadratic::ZERO
    );
    // A value with one limb off is not what the table provides.
    let mut wrong = consumed.clone();
    wrong[31].fields[9] += Goldilocks::ONE;
    assert_ne!(
        imbalance(&columns, &[&code]) + public(&wrong),
        Quadratic::ZERO
    );
}

/// A trace with one cell changed must break a constraint or the bus balance.
fn assert_caught(columns: &[Vec<Goldilocks>], statement: &[&[u8]], pushed: &[&[u8]], what: &str) {
    let constraints = check_constraints(&Bytecode, columns);
    let consumed: Vec<PublicMessage> = pushed.iter().flat_map(|c| push_consumption(c)).collect();
    let balance = imbalance(columns, statement) + public(&consumed);
    assert!(
        matches!(constraints, Err(CheckError::Violated(_))) || balance != Quadratic::ZERO,
        "{what}: tampered trace accepted"
    );
}

#[test]
fn every_tampered_cell_is_caught() {
    // Pushes are used once each (only in the first code, whose id the helper assumes).
    let codes: Vec<&[u8]> = vec![&[0x61, 0xab, 0xcd, 0x60, 0x01, 0x56], TRICKY];
    let pushes = push_once(codes[0]);
    let honest = trace(&codes, |position, index| match position {
        0 => pushes(position, index),
        _ => Uses::default(),
    })
    .unwrap();
    let statement = &codes[..1];
    let used = 2 * sponge::RATE; // each code fills one block
    check_constraints(&Bytecode, &honest).unwrap();
    let consumed = public(&push_consumption(codes[0]));
    assert_eq!(imbalance(&honest, &codes) + consumed, Quadratic::ZERO);
    // Every column of each kind of row changed by +1 and by −1: the first code's bytes, its
    // end, the zeros after it and its last row; the second code's bytes, end and last row;
    // the first padding row. Reviewed don't-cares: a padding row's `code_id` and `index` (they
    // enter messages only with multiplicity `live = 0` or `multiplicity = 0`),
    // `push_left_inv` where `push_left = 0`, and `jumpdest_inv` where `bad_jumps = 0`.
    let rows = (0..10).chain(134..148).chain([used - 1, used]);
    for row in rows {
        for column in 0..honest.len() {
            if row == used && (column == col::CODE_ID || column == col::INDEX) {
                continue;
            }
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                let mut tampered = honest.clone();
                tampered[column][row] += delta;
                // `push_left_inv` is free where push_left = 0 only through its product; a
                // changed inverse of a non-zero push_left must fail, of zero it is harmless.
                if column == col::PUSH_LEFT_INV && honest[col::PUSH_LEFT][row] == Goldilocks::ZERO {
                    check_constraints(&Bytecode, &tampered).unwrap();
                    continue;
                }
                // Likewise `jumpdest_inv` where no jump halts (`bad_jumps = 0`): the invalid
                // jump tests (`cpu::tests`) change it where one does.
                if column == col::JUMPDEST_INV && honest[col::BAD_JUMPS][row] == Goldilocks::ZERO {
                    check_constraints(&Bytecode, &tampered).unwrap();
                    continue;
                }
                assert_caught(
                    &tampered,
                    &codes,
                    statement,
                    &format!("{} at row {row}", Bytecode::COLUMNS[column]),
                );
            }
        }
    }
}

#[test]
fn push_data_cannot_pass_for_an_opcode() {
    // The 0x5b at index 1 is PUSH1's data: claiming it is code breaks the push analysis, with
    // or without adjusting push_left and its inverse to match.
    let codes: Vec<&[u8]> = vec![TRICKY];
    let mut tampered = trace(&codes, no_fetches).unwrap();
    tampered[col::IS_CODE][1] = Goldilocks::ONE;
    tampered[col::PUSH_LEFT][1] = Goldilocks::ZERO;
    tampered[col::PUSH_LEFT_INV][1] = Goldilocks::ZERO;
    let Err(CheckError::Violated(v)) = check_constraints(&Bytecode, &tampered) else {
        panic!("push data accepted as an opcode");
    };
    assert_eq!((v.kind, v.row), (ConstraintKind::Transition, 0));
}

#[test]
fn bytes_past_the_end_or_missing_are_caught() {
    let codes: Vec<&[u8]> = vec![TRICKY];
    // One byte appended to the code in the trace only.
    let mut longer = TRICKY.to_vec();
    longer.push(0x5b);
    let appended = trace(&[&longer], no_fetches).unwrap();
    check_constraints(&Bytecode, &appended).unwrap();
    assert_ne!(imbalance(&appended, &codes), Quadratic::ZERO);
    // The last byte dropped.
    let dropped = trace(&[&TRICKY[..TRICKY.len() - 1]], no_fetches).unwrap();
    assert_ne!(imbalance(&dropped, &codes), Quadratic::ZERO);
    // Two codes swapped in order keep their bytes but not their ids.
    let two: Vec<&[u8]> = vec![TRICKY, &[0x00, 0x01]];
    let swapped = trace(&[two[1], two[0]], no_fetches).unwrap();
    assert_ne!(imbalance(&swapped, &two), Quadratic::ZERO);
}

#[test]
fn padding_rows_may_not_provide_fetches() {
    let codes: Vec<&[u8]> = vec![TRICKY];
    let mut tampered = trace(&codes, no_fetches).unwrap();
    tampered[col::MULTIPLICITY][sponge::RATE] = Goldilocks::ONE;
    assert!(check_constraints(&Bytecode, &tampered).is_err());
}

#[test]
fn no_code_at_all_is_an_error() {
    assert!(matches!(trace(&[], no_fetches), Err(AirError::Input(_))));
    // Empty codes still hold the STOP the EVM executes (and their padding: keccak of nothing).
    let columns = trace(&[&[], &[]], no_fetches).unwrap();
    check_constraints(&Bytecode, &columns).unwrap();
    assert_eq!(imbalance(&columns, &[&[], &[]]), Quadratic::ZERO);
}

#[test]
fn padding_rows_cannot_assemble_a_push_value() {
    // The first padding row dressed as the last data byte of a PUSH1 (limb 0, lane 0) with
    // its accumulator holding the byte and one use: a value no code contains.
    let code: &[u8] = &[0x60, 0x01, 0x00];
    let mut forged = trace(&[code], no_fetches).unwrap();
    let row = sponge::RATE; // after the code and its zeros
    let set =
        |columns: &mut Vec<Vec<Goldilocks>>, c: usize, v: u64| columns[c][row] = Goldilocks::new(v);
    for (c, v) in [
        (col::IS_CODE, 0),
        (col::PUSH_LEFT, 1),
        (col::PUSH_LEFT_INV, 1),
        (col::BYTE, 0x42),
        (col::BIT + 1, 1),
        (col::BIT + 6, 1),
        (col::LIMB, 1),
        (col::LANE, 1),
        (col::ACC, 0x42),
        (col::PUSH_USES, 1),
    ] {
        set(&mut forged, c, v);
    }
    let Err(CheckError::Violated(v)) = check_constraints(&Bytecode, &forged) else {
        panic!("a padding row provided a PUSH value");
    };
    // Only the padding rules catch it (the accumulator step itself holds).
    assert_eq!((v.kind, v.row), (ConstraintKind::Row, row));
    assert!(v.index > 19 + 8 + 4 + 3 + 8, "{v:?}");
}

#[test]
fn codecopy_reads_the_codes_own_bytes_only() {
    // Byte 1 read twice and byte 8 once by CODECOPY; the Copy component consumes them.
    let codes: Vec<&[u8]> = vec![TRICKY];
    let reads = [(1, 2), (8, 1)];
    let columns = trace(&codes, |_, index| Uses {
        code_reads: (reads.iter().find(|(at, _)| *at == index)).map_or(0, |&(_, n)| n),
        ..Uses::default()
    })
    .unwrap();
    check_constraints(&Bytecode, &columns).unwrap();
    let copy_side = |code_of_reads: u64, reads: &[(usize, u64)]| -> Vec<PublicMessage> {
        (reads.iter())
            .map(|&(at, count)| PublicMessage {
                direction: Direction::Consume,
                multiplicity: g(count),
                ..PublicMessage::provide(
                    COPY_SOURCE,
                    &[
                        g(CODECOPY),
                        g(code_source(code_of_reads, at as u64)),
                        g(TRICKY[at] as u64),
                    ],
                )
            })
            .collect()
    };
    assert_eq!(
        imbalance(&columns, &codes) + public(&copy_side(code_id(0), &reads)),
        Quadratic::ZERO
    );
    // The same reads of another code's bytes find no provider.
    assert_ne!(
        imbalance(&columns, &codes) + public(&copy_side(code_id(1), &reads)),
        Quadratic::ZERO
    );
    // A read of the zero past the end is the verifier's, not the table's.
    let mut past_end = columns.clone();
    past_end[col::CODE_READS][TRICKY.len()] = Goldilocks::ONE;
    assert!(check_constraints(&Bytecode, &past_end).is_err());
}

#[test]
fn a_wrong_code_hash_or_length_unbalances_the_bus() {
    let codes: Vec<&[u8]> = vec![TRICKY];
    let columns = trace(&codes, no_fetches).unwrap();
    let honest = code_hashes(&codes);
    let sponge = public(&sponge_side(&codes));
    let with = |statement: &[CodeHash]| {
        claim(&Bytecode, &columns) + public(&public_messages(statement)) + sponge
    };
    assert_eq!(with(&honest), Quadratic::ZERO);
    let mut hash = honest.clone();
    hash[0].hash[31] ^= 1;
    let mut longer = honest.clone();
    longer[0].len += 1;
    let mut shorter = honest.clone();
    shorter[0].len -= 1;
    for statement in [hash, longer, shorter] {
        assert_ne!(with(&statement), Quadratic::ZERO, "{statement:?}");
    }
}

#[test]
fn codes_hash_through_the_sponge_and_keccak_components() {
    // Lengths at the padding's edges: 0x81 alone (135), a second block (136), and two codes.
    let long: Vec<u8> = (0..136u32).map(|i| (i * 7 + 3) as u8).collect();
    let codes: Vec<&[u8]> = vec![&long[..135], &long, TRICKY];
    for (code, digest) in codes.iter().zip(&sponge::trace(&hashes(&codes)).digests) {
        assert_eq!(*digest, CodeHash::of(code).hash);
    }
    let (mut traces, permutations) =
        sponge::hashing_tables(&hashes(&codes), [], crate::keccak::SHARD_ROWS);
    traces.push(ComponentTrace {
        id: ComponentId::Bytecode,
        columns: trace(&codes, no_fetches).unwrap(),
    });
    let mut messages = public_messages(&code_hashes(&codes));
    messages.extend(keccak::round_messages(permutations));
    check_block(&traces).unwrap();
    assert_eq!(block_imbalance(&traces, &messages), Quadratic::ZERO);
}

#[test]
fn an_executed_codes_hash_length_and_codecopy_bytes_are_bound() {
    // CODESIZE PUSH0 PUSH0 CODECOPY (the whole code), then CODECOPY 16 bytes from offset 8 of
    // the 12-byte code (4 in it, 12 zeros past its end) to memory 64, STOP.
    let code = [
        0x38, 0x5f, 0x5f, 0x39, 0x60, 0x10, 0x60, 0x08, 0x60, 0x40, 0x39, 0x00,
    ];
    let (block, messages) = crate::test_support::honest_block(&code);
    let statement = &block.statement;
    assert_eq!(statement.codes, [CodeHash::of(&code)]);
    // The statement lists only the reads past the end; the code's own come from the table.
    let past_end: Vec<u64> = (statement.copy_reads.iter())
        .filter(|(op, ..)| *op as u64 == CODECOPY)
        .map(|&(_, _, index, _)| index)
        .collect();
    assert_eq!(past_end, (12..24).collect::<Vec<u64>>());
    let position = |id| block.traces.iter().position(|t| t.id == id).unwrap();
    let bytecode = position(ComponentId::Bytecode);
    let reads = &block.traces[bytecode].columns[col::CODE_READS];
    let expected: Vec<u64> = (0..12).map(|i| 1 + (i >= 8) as u64).collect();
    assert_eq!(
        reads[..12],
        expected.iter().map(|&n| g(n)).collect::<Vec<_>>()
    );
    // One read more or less of a code byte, or a read served from past the end.
    let bench = crate::test_support::TamperBench::new(&block.traces, &messages);
    for (row, delta) in [
        (3, Goldilocks::ONE),
        (9, -Goldilocks::ONE),
        (12, Goldilocks::ONE),
    ] {
        let mut columns = block.traces[bytecode].columns.clone();
        columns[col::CODE_READS][row] += delta;
        assert!(bench.rejects(bytecode, &columns), "row {row} {delta:?}");
    }
    // Statements the verifier refuses: a CODESIZE other than the length, a CODECOPY read of
    // a code byte it would provide a second time, a call target's code outside the list, the
    // transaction's code other than the first.
    let refused = |edit: &dyn Fn(&mut crate::evm::Statement)| {
        let mut s = statement.clone();
        edit(&mut s);
        crate::evm::Statement::from_bytes(&s.to_bytes()).is_err()
    };
    assert!(refused(&|s| {
        let size = s.context.iter_mut().find(|(op, _)| *op == 0x38).unwrap();
        size.1 += zkevm_evm_spec::witness::Word::from(1);
    }));
    assert!(refused(&|s| s.copy_reads.push((0x39, 0, 11, 1))));
    // Zeros of a code outside the list, or calldata bytes named by a code.
    assert!(refused(&|s| s.copy_reads.push((0x39, 1, 30, 1))));
    assert!(refused(&|s| s.copy_reads.push((0x37, 1, 0, 1))));
    // "No code" (an EXTCODECOPY of an account without code) names only zeros of code reads
    // below the stride, never calldata.
    let none = crate::evm::NO_CODE;
    assert!(refused(&|s| s.copy_reads.push((0x37, none, 0, 1))));
    let stride = crate::copy::CODE_SOURCE_STRIDE;
    assert!(refused(&|s| s.copy_reads.push((0x39, none, stride, 1))));
    assert!(refused(&|s| s.call_codes.push(([7; 20], 1, 1))));
    assert!(refused(&|s| {
        s.codes.push(s.codes[0]);
        s.code_position = 1;
    }));
    assert!(!refused(&|_| {}));
}

#[test]
fn a_push_running_past_the_end_of_the_code_proves() {
    // PUSH2 with one data byte: the EVM pushes 0xab00 and then stops past the end.
    let (block, _) = crate::test_support::honest_block(&[0x61, 0xab]);
    assert_eq!(block.statement.steps(), 2);
    let bytecode = &block.traces[1];
    assert_eq!(bytecode.id, ComponentId::Bytecode);
    // The value completes on the zero after the code (index 2), pushed once.
    assert_eq!(bytecode.columns[col::PUSH_USES][2], Goldilocks::ONE);
    assert_eq!(bytecode.columns[col::ACC][2], g(0xab00));
}
