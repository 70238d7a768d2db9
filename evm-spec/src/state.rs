//! The in-memory world state that revm executes against, and the commitments checked by state
//! tests: the state root (Merkle-Patricia trie, alloy-trie) and the logs hash.
//!
//! Invariant: [`MemDb`] never holds zero storage values or (after [`MemDb::commit`]) touched empty
//! accounts, so that its contents are exactly the accounts and slots of the state trie.

use crate::fixture::{AccountState, WorldState};
use alloy_primitives::{keccak256, Address, Log, B256, U256};
use alloy_trie::{root, TrieAccount, EMPTY_ROOT_HASH, KECCAK_EMPTY};
use revm::bytecode::Bytecode;
use revm::primitives::{StorageKey, StorageValue};
use revm::state::{AccountInfo, EvmState};
use revm::Database;
use std::collections::HashMap;
use std::convert::Infallible;

/// An in-memory world state implementing revm's [`Database`].
#[derive(Clone, Debug, Default)]
pub struct MemDb {
    accounts: WorldState,
    /// Analysed bytecode by code hash, so repeated loads do not re-analyse jump destinations.
    codes: HashMap<B256, Bytecode>,
}

/// Wraps raw code as revm bytecode: EIP-7702 delegations (`0xef0100‖addr`) are recognised, any
/// other byte string (even one starting with 0xef that is not a valid delegation) is legacy code.
pub fn to_bytecode(code: &[u8]) -> Bytecode {
    let bytes = alloy_primitives::Bytes::copy_from_slice(code);
    Bytecode::new_raw_checked(bytes.clone()).unwrap_or_else(|_| Bytecode::new_legacy(bytes))
}

impl MemDb {
    /// A state holding `world`.
    pub fn new(world: WorldState) -> Self {
        let mut db = MemDb {
            accounts: WorldState::new(),
            codes: HashMap::new(),
        };
        for (address, acc) in world {
            db.insert(address, acc);
        }
        db
    }

    /// Inserts or replaces an account (zero storage values are dropped).
    pub fn insert(&mut self, address: Address, mut acc: AccountState) {
        acc.storage.retain(|_, v| !v.is_zero());
        if !acc.code.is_empty() {
            let hash = keccak256(&acc.code);
            self.codes
                .entry(hash)
                .or_insert_with(|| to_bytecode(&acc.code));
        }
        self.accounts.insert(address, acc);
    }

    /// The accounts.
    pub fn accounts(&self) -> &WorldState {
        &self.accounts
    }

    /// Applies the state changes of one executed transaction.
    ///
    /// Rules (post-Spurious-Dragon): an account that is self-destructed, or touched and empty
    /// (nonce 0, balance 0, no code; EIP-161), is deleted; a newly created account starts with
    /// empty storage; written slots take their present value and zero values are removed.
    pub fn commit(&mut self, changes: EvmState) {
        for (address, account) in changes {
            if !account.is_touched() {
                continue;
            }
            if account.is_selfdestructed() || account.is_empty() {
                self.accounts.remove(&address);
                continue;
            }
            let code = match &account.info.code {
                Some(code) => code.original_bytes(),
                None if account.info.code_hash == KECCAK_EMPTY
                    || account.info.code_hash == B256::ZERO =>
                {
                    Default::default()
                }
                None => self
                    .codes
                    .get(&account.info.code_hash)
                    .map(|c| c.original_bytes())
                    .unwrap_or_default(),
            };
            let entry = self.accounts.entry(address).or_default();
            if account.is_created() {
                entry.storage.clear();
            }
            entry.nonce = account.info.nonce;
            entry.balance = account.info.balance;
            if entry.code != code {
                if !code.is_empty() {
                    if let Some(bc) = &account.info.code {
                        self.codes.insert(account.info.code_hash, bc.clone());
                    }
                }
                entry.code = code;
            }
            for (slot, value) in account.storage {
                if value.present_value.is_zero() {
                    entry.storage.remove(&slot);
                } else {
                    entry.storage.insert(slot, value.present_value);
                }
            }
        }
    }

    /// The Merkle-Patricia state root of the current state.
    pub fn state_root(&self) -> B256 {
        state_root(&self.accounts)
    }
}

impl Database for MemDb {
    type Error = Infallible;

    fn basic(&mut self, address: Address) -> Result<Option<AccountInfo>, Infallible> {
        Ok(self.accounts.get(&address).map(|acc| {
            if acc.code.is_empty() {
                AccountInfo {
                    balance: acc.balance,
                    nonce: acc.nonce,
                    code_hash: KECCAK_EMPTY,
                    code: Some(Bytecode::default()),
                    ..Default::default()
                }
            } else {
                let hash = keccak256(&acc.code);
                let code = self
                    .codes
                    .get(&hash)
                    .cloned()
                    .unwrap_or_else(|| to_bytecode(&acc.code));
                AccountInfo {
                    balance: acc.balance,
                    nonce: acc.nonce,
                    code_hash: hash,
                    code: Some(code),
                    ..Default::default()
                }
            }
        }))
    }

    fn code_by_hash(&mut self, code_hash: B256) -> Result<Bytecode, Infallible> {
        Ok(self.codes.get(&code_hash).cloned().unwrap_or_default())
    }

    fn storage(&mut self, address: Address, index: StorageKey) -> Result<StorageValue, Infallible> {
        Ok(self
            .accounts
            .get(&address)
            .and_then(|a| a.storage.get(&index).copied())
            .unwrap_or(U256::ZERO))
    }

    /// State tests define the hash of block `n` as keccak256 of `n` in decimal ASCII.
    fn block_hash(&mut self, number: u64) -> Result<B256, Infallible> {
        Ok(keccak256(number.to_string().as_bytes()))
    }
}

/// The storage-trie root of one account's storage (zero values must already be absent).
pub fn storage_root(storage: &std::collections::BTreeMap<U256, U256>) -> B256 {
    if storage.is_empty() {
        return EMPTY_ROOT_HASH;
    }
    root::storage_root_unhashed(
        storage
            .iter()
            .filter(|(_, v)| !v.is_zero())
            .map(|(k, v)| (B256::from(*k), *v)),
    )
}

/// The state-trie root of a world state: keccak(address) ↦ RLP(nonce, balance, storage root,
/// code hash).
pub fn state_root(world: &WorldState) -> B256 {
    root::state_root_unhashed(world.iter().map(|(address, acc)| {
        let account = TrieAccount {
            nonce: acc.nonce,
            balance: acc.balance,
            storage_root: storage_root(&acc.storage),
            code_hash: if acc.code.is_empty() {
                KECCAK_EMPTY
            } else {
                keccak256(&acc.code)
            },
        };
        (*address, account)
    }))
}

/// keccak256 of the RLP list of logs `[address, [topics…], data]` — the `logs` field of state tests.
pub fn logs_hash(logs: &[Log]) -> B256 {
    let mut out = Vec::new();
    alloy_rlp::encode_list::<_, Log>(logs, &mut out);
    keccak256(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_state_and_logs_have_the_known_roots() {
        assert_eq!(state_root(&WorldState::new()), EMPTY_ROOT_HASH);
        // keccak256(rlp([])) = keccak256(0xc0)
        assert_eq!(
            logs_hash(&[]),
            "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"
                .parse::<B256>()
                .ok()
                .unwrap_or_default()
        );
    }
}
