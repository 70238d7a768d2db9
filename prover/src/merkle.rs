//! A Blake3 (or any winterfell hasher) Merkle tree used as winterfell's vector commitment.
//!
//! Why not winterfell's `MerkleTree`: its batch-proof deserializer allocates whatever length
//! the bytes claim before reading them, so one flipped byte in a proof can abort the process.
//! Here every count read from bytes is checked against the bytes that remain before anything
//! is allocated. The tree is built level by level with rayon.
//!
//! Layout: `nodes[1]` is the root, leaf `i` is `nodes[n + i]`, node `k` has children `2k` and
//! `2k + 1`. A batch opening lists, level by level from the leaves up and in increasing node
//! order, the sibling of every known node whose sibling is not itself known.

use core::marker::PhantomData;
use rayon::prelude::*;
use thiserror::Error;
use winter_crypto::{Hasher, VectorCommitment};
use winter_utils::{ByteReader, ByteWriter, Deserializable, DeserializationError, Serializable};

/// Levels below which a tree level is hashed on one thread.
const PARALLEL_LEVEL: usize = 1 << 10;
/// Deepest tree accepted from proof bytes (domains up to 2^32 leaves).
const MAX_DEPTH: u8 = 32;
/// Most nodes accepted in one opening from proof bytes (≥ 255 queries × 32 levels).
const MAX_OPENING_NODES: usize = 1 << 16;

/// Errors building, opening or checking a Merkle commitment.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum MerkleError {
    #[error("number of leaves {0} is not a power of two ≥ 1")]
    LeafCount(usize),
    #[error("index {index} outside a domain of {domain} leaves")]
    Index { index: usize, domain: usize },
    #[error("no indexes to open")]
    Empty,
    #[error("{indexes} indexes but {items} items")]
    ItemCount { indexes: usize, items: usize },
    #[error("one index opened to two different items")]
    Conflict,
    #[error("opening proof has the wrong number of nodes")]
    ProofLength,
    #[error("opening does not match the commitment")]
    Mismatch,
}

/// A Merkle tree over digests.
#[derive(Debug, Clone)]
pub struct MerkleVc<H: Hasher> {
    nodes: Vec<H::Digest>,
    leaves: usize,
    _h: PhantomData<H>,
}

/// A batch opening: the tree depth and the sibling nodes in canonical order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening<D> {
    depth: u8,
    nodes: Vec<D>,
}

impl<H: Hasher + 'static> MerkleVc<H>
where
    H::Digest: Send + Sync,
{
    /// Builds the tree over `leaves` (a power of two ≥ 1), hashing levels in parallel.
    pub fn build(leaves: Vec<H::Digest>) -> Result<Self, MerkleError> {
        let n = leaves.len();
        if n == 0 || !n.is_power_of_two() {
            return Err(MerkleError::LeafCount(n));
        }
        let mut nodes = Vec::with_capacity(2 * n);
        nodes.push(leaves[0]);
        nodes.resize(n, leaves[0]);
        nodes.extend(leaves);
        let mut half = n / 2;
        while half >= 1 {
            let (upper, lower) = nodes.split_at_mut(2 * half);
            let parents = &mut upper[half..];
            let children = &lower[..2 * half];
            if half >= PARALLEL_LEVEL {
                parents
                    .par_chunks_mut(PARALLEL_LEVEL)
                    .zip(children.par_chunks(2 * PARALLEL_LEVEL))
                    .for_each(|(parents, children)| {
                        crate::row_hash::merge_pairs::<H>(children, parents)
                    });
            } else {
                crate::row_hash::merge_pairs::<H>(children, parents);
            }
            half /= 2;
        }
        Ok(Self {
            nodes,
            leaves: n,
            _h: PhantomData,
        })
    }

    /// The root.
    pub fn root(&self) -> H::Digest {
        // With one leaf, `nodes[1]` is that leaf.
        self.nodes[1]
    }

    fn depth(&self) -> u8 {
        self.leaves.trailing_zeros() as u8
    }

    fn open_indexes(&self, indexes: &[usize]) -> Result<Opening<H::Digest>, MerkleError> {
        if indexes.is_empty() {
            return Err(MerkleError::Empty);
        }
        let n = self.leaves;
        let mut known: Vec<usize> = Vec::with_capacity(indexes.len());
        for &i in indexes {
            if i >= n {
                return Err(MerkleError::Index {
                    index: i,
                    domain: n,
                });
            }
            known.push(n + i);
        }
        known.sort_unstable();
        known.dedup();
        let mut proof = Vec::new();
        while known[0] > 1 {
            let mut parents = Vec::with_capacity(known.len());
            let mut j = 0;
            while j < known.len() {
                let k = known[j];
                if k.is_multiple_of(2) && known.get(j + 1) == Some(&(k + 1)) {
                    j += 2;
                } else {
                    proof.push(self.nodes[k ^ 1]);
                    j += 1;
                }
                parents.push(k / 2);
            }
            parents.dedup();
            known = parents;
        }
        Ok(Opening {
            depth: self.depth(),
            nodes: proof,
        })
    }
}

/// Recomputes the root from leaves at `indexes` and a batch opening.
fn recompute_root<H: Hasher>(
    indexes: &[usize],
    items: &[H::Digest],
    opening: &Opening<H::Digest>,
) -> Result<H::Digest, MerkleError> {
    recompute::<H>(indexes, items, opening, |_, _| {})
}

/// The authentication path (siblings from the leaf up) of each of `indexes`, recovered from a
/// batch opening of `items` at them: what a circuit checks one path at a time.
pub fn paths<H: Hasher>(
    indexes: &[usize],
    items: &[H::Digest],
    opening: &Opening<H::Digest>,
) -> Result<Vec<Vec<H::Digest>>, MerkleError> {
    let mut nodes = std::collections::HashMap::new();
    recompute::<H>(indexes, items, opening, |k, digest| {
        nodes.insert(k, digest);
    })?;
    let n = 1usize << opening.depth;
    indexes
        .iter()
        .map(|&i| {
            let mut k = n + i;
            let mut path = Vec::with_capacity(opening.depth as usize);
            while k > 1 {
                path.push(*nodes.get(&(k ^ 1)).ok_or(MerkleError::ProofLength)?);
                k /= 2;
            }
            Ok(path)
        })
        .collect()
}

/// [`recompute_root`], reporting every node it knows or computes (`(index, digest)`, the root
/// being node 1) to `visit`.
fn recompute<H: Hasher>(
    indexes: &[usize],
    items: &[H::Digest],
    opening: &Opening<H::Digest>,
    mut visit: impl FnMut(usize, H::Digest),
) -> Result<H::Digest, MerkleError> {
    if indexes.is_empty() {
        return Err(MerkleError::Empty);
    }
    if indexes.len() != items.len() {
        return Err(MerkleError::ItemCount {
            indexes: indexes.len(),
            items: items.len(),
        });
    }
    let n = 1usize << opening.depth;
    let mut known: Vec<(usize, H::Digest)> = Vec::with_capacity(indexes.len());
    for (&i, item) in indexes.iter().zip(items) {
        if i >= n {
            return Err(MerkleError::Index {
                index: i,
                domain: n,
            });
        }
        known.push((n + i, *item));
    }
    known.sort_unstable_by_key(|(k, _)| *k);
    for pair in known.windows(2) {
        if pair[0].0 == pair[1].0 && pair[0].1 != pair[1].1 {
            return Err(MerkleError::Conflict);
        }
    }
    known.dedup_by_key(|(k, _)| *k);
    let mut siblings = opening.nodes.iter();
    for &(k, digest) in &known {
        visit(k, digest);
    }
    while known[0].0 > 1 {
        let mut parents = Vec::with_capacity(known.len());
        let mut j = 0;
        while j < known.len() {
            let (k, digest) = known[j];
            let parent = match known.get(j + 1) {
                Some(&(next, right)) if k.is_multiple_of(2) && next == k + 1 => {
                    j += 2;
                    H::merge(&[digest, right])
                }
                _ => {
                    j += 1;
                    let sibling = *siblings.next().ok_or(MerkleError::ProofLength)?;
                    visit(k ^ 1, sibling);
                    if k.is_multiple_of(2) {
                        H::merge(&[digest, sibling])
                    } else {
                        H::merge(&[sibling, digest])
                    }
                }
            };
            visit(k / 2, parent);
            parents.push((k / 2, parent));
        }
        known = parents;
    }
    if siblings.next().is_some() {
        return Err(MerkleError::ProofLength);
    }
    Ok(known[0].1)
}

impl<H: Hasher + 'static> VectorCommitment<H> for MerkleVc<H>
where
    H::Digest: Send + Sync,
{
    type Options = ();
    type Proof = Opening<H::Digest>;
    type MultiProof = Opening<H::Digest>;
    type Error = MerkleError;

    fn with_options(items: Vec<H::Digest>, _options: ()) -> Result<Self, MerkleError> {
        Self::build(items)
    }

    fn commitment(&self) -> H::Digest {
        self.root()
    }

    fn domain_len(&self) -> usize {
        self.leaves
    }

    fn get_proof_domain_len(proof: &Self::Proof) -> usize {
        1 << proof.depth
    }

    fn get_multiproof_domain_len(proof: &Self::MultiProof) -> usize {
        1 << proof.depth
    }

    fn open(&self, index: usize) -> Result<(H::Digest, Self::Proof), MerkleError> {
        let opening = self.open_indexes(&[index])?;
        Ok((self.nodes[self.leaves + index], opening))
    }

    fn open_many(
        &self,
        indexes: &[usize],
    ) -> Result<(Vec<H::Digest>, Self::MultiProof), MerkleError> {
        let opening = self.open_indexes(indexes)?;
        let items = indexes
            .iter()
            .map(|&i| self.nodes[self.leaves + i])
            .collect();
        Ok((items, opening))
    }

    fn verify(
        commitment: H::Digest,
        index: usize,
        item: H::Digest,
        proof: &Self::Proof,
    ) -> Result<(), MerkleError> {
        Self::verify_many(commitment, &[index], &[item], proof)
    }

    fn verify_many(
        commitment: H::Digest,
        indexes: &[usize],
        items: &[H::Digest],
        proof: &Self::MultiProof,
    ) -> Result<(), MerkleError> {
        if recompute_root::<H>(indexes, items, proof)? == commitment {
            Ok(())
        } else {
            Err(MerkleError::Mismatch)
        }
    }
}

impl<D: Serializable> Serializable for Opening<D> {
    fn write_into<W: ByteWriter>(&self, target: &mut W) {
        target.write_u8(self.depth);
        target.write_usize(self.nodes.len());
        target.write_many(&self.nodes);
    }
}

impl<D: Deserializable> Deserializable for Opening<D> {
    fn read_from<R: ByteReader>(source: &mut R) -> Result<Self, DeserializationError> {
        let depth = source.read_u8()?;
        if depth > MAX_DEPTH {
            return Err(DeserializationError::InvalidValue(format!(
                "Merkle depth {depth} exceeds {MAX_DEPTH}"
            )));
        }
        let count = source.read_usize()?;
        // Refuse counts no honest opening has, then counts the input cannot hold (every
        // digest takes at least one byte), before allocating anything.
        if count > MAX_OPENING_NODES {
            return Err(DeserializationError::InvalidValue(format!(
                "Merkle opening of {count} nodes"
            )));
        }
        source.check_eor(count)?;
        let mut nodes = Vec::with_capacity(count);
        for _ in 0..count {
            nodes.push(D::read_from(source)?);
        }
        Ok(Self { depth, nodes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use winter_crypto::hashers::Blake3_256;
    use winter_utils::SliceReader;
    use zkevm_field::Goldilocks;

    type H = Blake3_256<Goldilocks>;
    type Vc = MerkleVc<H>;

    fn leaves(n: usize) -> Vec<<H as Hasher>::Digest> {
        (0..n as u64).map(|i| H::hash(&i.to_le_bytes())).collect()
    }

    #[test]
    fn batch_openings_verify_and_reject_tampering() {
        for log_n in 0..8 {
            let n = 1usize << log_n;
            let items = leaves(n);
            let tree = Vc::new(items.clone()).unwrap();
            let root = tree.commitment();
            let indexes: Vec<usize> = (0..n).step_by(3).chain([n - 1, 0]).collect();
            let (opened, proof) = tree.open_many(&indexes).unwrap();
            assert_eq!(Vc::get_multiproof_domain_len(&proof), n);
            Vc::verify_many(root, &indexes, &opened, &proof).unwrap();
            let bytes = proof.to_bytes();
            let parsed = Opening::read_from(&mut SliceReader::new(&bytes)).unwrap();
            Vc::verify_many(root, &indexes, &opened, &parsed).unwrap();
            if n > 1 {
                let mut wrong = opened.clone();
                wrong[0] = items[(indexes[0] + 1) % n];
                assert!(Vc::verify_many(root, &indexes, &wrong, &proof).is_err());
            }
            for i in [0, n / 2, n - 1] {
                let (leaf, path) = tree.open(i).unwrap();
                Vc::verify(root, i, leaf, &path).unwrap();
            }
        }
    }

    #[test]
    fn huge_counts_are_refused_without_allocating() {
        let mut bytes = vec![3u8];
        bytes.write_usize(usize::MAX / 2);
        bytes.extend([0u8; 64]);
        let parsed = Opening::<<H as Hasher>::Digest>::read_from(&mut SliceReader::new(&bytes));
        assert!(parsed.is_err());
    }
}
