//! The end state of the top-level frame as replayed from a witness alone: its stack and memory
//! after the last step, storage after the transaction, the logs, and the gas left.

use crate::witness::*;
use alloy_primitives::{Address, Bytes, B256, U256};
use std::collections::{BTreeMap, HashMap};

/// State derived from a witness (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FinalState {
    /// Top-level stack after the last step, bottom first.
    pub stack: Vec<U256>,
    /// Top-level memory after the last step.
    pub memory: Vec<u8>,
    /// Every storage slot written or read, with its final value.
    pub storage: BTreeMap<(Address, U256), U256>,
    /// Logs in order: address, topics, data.
    pub logs: Vec<(Address, Vec<B256>, Bytes)>,
    /// Gas left after the top-level frame's last step.
    pub gas_left: u64,
}

/// Replays the RW log of a witness the checker accepts (it is checked first, so that sizes are
/// bounded): the latest write of each target wins.
pub fn final_state(w: &Witness) -> Result<FinalState, super::CheckError> {
    super::check_witness(w)?;
    let mut last: HashMap<RwTarget, U256> = HashMap::new();
    let mut storage = BTreeMap::new();
    for rw in &w.rw {
        if rw.write || !last.contains_key(&rw.target) {
            last.insert(rw.target, rw.value);
        }
        if let RwTarget::Storage { address, key } = rw.target {
            if rw.write || !storage.contains_key(&(address, key)) {
                storage.insert((address, key), rw.value);
            }
        }
    }
    let mut out = FinalState {
        storage,
        ..Default::default()
    };
    if let Some(s) = w.steps.iter().rev().find(|s| s.frame == 0) {
        let sp = s.stack_size as usize;
        let op = crate::opcodes::info(s.opcode);
        let sp_after = match (op, &s.error) {
            (Some(op), None) if !op.terminates => {
                sp.saturating_sub(op.stack_in as usize) + op.stack_out as usize
            }
            _ => sp,
        };
        out.stack = (0..sp_after)
            .map(|slot| {
                last.get(&RwTarget::Stack {
                    frame: 0,
                    slot: slot as u16,
                })
                .copied()
                .unwrap_or_default()
            })
            .collect();
        out.memory = (0..s.memory_words)
            .flat_map(|word| {
                last.get(&RwTarget::Memory { frame: 0, word })
                    .copied()
                    .unwrap_or_default()
                    .to_be_bytes::<32>()
            })
            .collect();
        out.gas_left = s.gas.saturating_sub(s.gas_cost);
    }
    let mut log_id = 0u32;
    loop {
        let field = |f| {
            last.get(&RwTarget::Log {
                log: log_id,
                field: f,
            })
            .copied()
        };
        let Some(address) = field(LogField::Address) else {
            break;
        };
        let topics = (0u8..4)
            .map_while(|i| field(LogField::Topic(i)))
            .map(|t| B256::from(t.to_be_bytes::<32>()))
            .collect();
        let data = w
            .copies
            .iter()
            .find(|c| c.dst == CopyEndpoint::Log(log_id))
            .map(|c| c.data.clone())
            .unwrap_or_default();
        out.logs
            .push((Address::from_word(B256::from(address)), topics, data));
        log_id += 1;
    }
    Ok(out)
}
