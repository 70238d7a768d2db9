//! R1CS over BN254: the Poseidon permutation of [`crate::poseidon`] as a gadget, and the first
//! circuit built on it, a Poseidon Merkle path ([`MerklePathCircuit`]).
//!
//! The gadget evaluates the same rounds from the same derived constants as the native
//! permutation (no second copy of the parameters): adding constants and the MDS product are
//! linear, free in R1CS; each S-box `x⁵` costs three constraints (`x²`, `x⁴`, `x⁴·x`), so a
//! permutation costs `3·(8·3 + 57) = 243` constraints.
//!
//! The Merkle path circuit is the building block the STARK verifier circuit repeats for every
//! opened row: its only public input is the root, and it shows knowledge of a leaf and a path
//! (siblings, and the index bits choosing each level's order) hashing up to it with
//! [`crate::poseidon::hash2`], exactly as [`crate::PoseidonBn254::merge`] builds the prover's
//! trees.

use crate::goldilocks::GoldilocksVar;
use crate::poseidon::{hash2_values, permute_values, sponge_values, PoseidonValue, WIDTH};
use ark_bn254::Fr;
use ark_ff::Field;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};

impl PoseidonValue for FpVar<Fr> {
    type Error = SynthesisError;

    fn add_constant(&mut self, constant: &Fr) {
        *self += *constant;
    }

    fn fifth_power(&self) -> Result<Self, SynthesisError> {
        Ok(&self.square()?.square()? * self)
    }

    fn combine(coefficients: &[Fr; WIDTH], values: &[Self; WIDTH]) -> Self {
        coefficients
            .iter()
            .zip(values)
            .map(|(m, x)| x * *m)
            .fold(FpVar::zero(), |sum, term| sum + term)
    }

    fn absorb(&mut self, x: &Self) {
        *self += x;
    }
}

/// The permutation on circuit variables, in place.
pub fn permute_var(state: &mut [FpVar<Fr>; WIDTH]) -> Result<(), SynthesisError> {
    permute_values(state)
}

/// [`crate::poseidon::hash2`] on circuit variables.
pub fn hash2_var(a: &FpVar<Fr>, b: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    hash2_values(FpVar::zero(), a.clone(), b.clone())
}

/// [`crate::PoseidonBn254::hash_elements`] of canonical Goldilocks elements: the digest of a
/// committed trace row.
pub fn hash_elements_var(elements: &[GoldilocksVar]) -> Result<FpVar<Fr>, SynthesisError> {
    let tag = FpVar::constant(crate::hasher::tag(crate::hasher::ELEMENTS, elements.len()));
    let packed = elements.chunks(3).map(|chunk| {
        chunk
            .iter()
            .zip([
                Fr::from(1u64),
                Fr::from(1u128 << 64),
                Fr::from(1u128 << 64).square(),
            ])
            .fold(FpVar::zero(), |sum, (e, weight)| {
                sum + e.variable() * weight
            })
    });
    sponge_values(tag, FpVar::zero(), packed)
}

/// The root a path leads to: from `leaf`, each level hashes the node with its sibling, the
/// sibling first where the index bit (least significant first) says the node is a right
/// child. The two lists have one entry per level.
pub fn path_root_var(
    leaf: &FpVar<Fr>,
    siblings: &[FpVar<Fr>],
    index_bits: &[Boolean<Fr>],
) -> Result<FpVar<Fr>, SynthesisError> {
    if siblings.len() != index_bits.len() {
        return Err(SynthesisError::Unsatisfiable);
    }
    let mut node = leaf.clone();
    for (sibling, right) in siblings.iter().zip(index_bits) {
        let left_input = right.select(sibling, &node)?;
        let right_input = right.select(&node, sibling)?;
        node = hash2_var(&left_input, &right_input)?;
    }
    Ok(node)
}

/// Knowledge of a leaf and a path to a public root.
#[derive(Debug, Clone)]
pub struct MerklePathCircuit {
    /// The public input.
    pub root: Fr,
    pub leaf: Fr,
    /// Sibling at each level, from the leaf up.
    pub siblings: Vec<Fr>,
    /// Bit `k`: the node at level `k` is a right child (its sibling hashes first).
    pub index: u64,
}

/// Bit `k` of a leaf index: whether the node at level `k` is a right child (0 above 64).
fn is_right_child(index: u64, k: usize) -> bool {
    index.checked_shr(k as u32).unwrap_or(0) & 1 == 1
}

impl MerklePathCircuit {
    /// A path of `depth` random siblings from a random leaf at `index`, with its root.
    pub fn sample<R: ark_std::rand::Rng>(depth: usize, index: u64, rng: &mut R) -> Self {
        use ark_std::UniformRand;
        let siblings: Vec<Fr> = (0..depth).map(|_| Fr::rand(rng)).collect();
        let leaf = Fr::rand(rng);
        MerklePathCircuit {
            root: Self::root_of(leaf, &siblings, index),
            leaf,
            siblings,
            index,
        }
    }

    /// The root of the path from `leaf` through `siblings` at `index` (natively).
    pub fn root_of(leaf: Fr, siblings: &[Fr], index: u64) -> Fr {
        siblings.iter().enumerate().fold(leaf, |node, (k, s)| {
            if is_right_child(index, k) {
                crate::poseidon::hash2(*s, node)
            } else {
                crate::poseidon::hash2(node, *s)
            }
        })
    }
}

impl ConstraintSynthesizer<Fr> for MerklePathCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let root = FpVar::new_input(cs.clone(), || Ok(self.root))?;
        let leaf = FpVar::new_witness(cs.clone(), || Ok(self.leaf))?;
        let siblings = (self.siblings.iter())
            .map(|s| FpVar::new_witness(cs.clone(), || Ok(*s)))
            .collect::<Result<Vec<_>, _>>()?;
        let bits = (0..self.siblings.len())
            .map(|k| Boolean::new_witness(cs.clone(), || Ok(is_right_child(self.index, k))))
            .collect::<Result<Vec<_>, _>>()?;
        path_root_var(&leaf, &siblings, &bits)?.enforce_equal(&root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poseidon::{hash2, permute};
    use ark_relations::gr1cs::ConstraintSystem;
    use ark_std::UniformRand;

    #[test]
    fn the_gadget_computes_the_native_permutation_in_243_constraints() {
        let mut rng = ark_std::test_rng();
        let input = [Fr::rand(&mut rng), Fr::rand(&mut rng), Fr::rand(&mut rng)];
        let cs = ConstraintSystem::<Fr>::new_ref();
        let mut vars = input.map(|x| FpVar::new_witness(cs.clone(), || Ok(x)).unwrap());
        permute_var(&mut vars).unwrap();
        let mut native = input;
        permute(&mut native);
        for (var, x) in vars.iter().zip(native) {
            assert_eq!(var.value().unwrap(), x);
        }
        assert_eq!(cs.num_constraints(), 243);
        assert!(cs.is_satisfied().unwrap());
        let a = FpVar::new_witness(cs.clone(), || Ok(input[0])).unwrap();
        let b = FpVar::new_witness(cs.clone(), || Ok(input[1])).unwrap();
        assert_eq!(
            hash2_var(&a, &b).unwrap().value().unwrap(),
            hash2(input[0], input[1])
        );
    }

    #[test]
    fn the_row_hash_gadget_is_the_hashers() {
        use winter_crypto::ElementHasher;
        use zkevm_field::Goldilocks;
        for n in [0, 1, 3, 4, 7] {
            let row: Vec<Goldilocks> = (0..n)
                .map(|i| Goldilocks::new(i * 0x1_0000_0001 + 5))
                .collect();
            let cs = ConstraintSystem::<Fr>::new_ref();
            let vars: Vec<GoldilocksVar> = row
                .iter()
                .map(|&e| GoldilocksVar::new_witness(cs.clone(), Some(e)).unwrap())
                .collect();
            let digest = hash_elements_var(&vars).unwrap().value().unwrap();
            assert_eq!(
                digest,
                crate::PoseidonBn254::hash_elements(&row).element(),
                "{n}"
            );
        }
    }

    fn satisfied(circuit: MerklePathCircuit) -> bool {
        let cs = ConstraintSystem::<Fr>::new_ref();
        circuit.generate_constraints(cs.clone()).unwrap();
        cs.is_satisfied().unwrap()
    }

    #[test]
    fn a_merkle_path_is_satisfied_only_by_its_root_leaf_and_siblings() {
        let honest = MerklePathCircuit::sample(8, 0b1011_0010, &mut ark_std::test_rng());
        assert!(satisfied(honest.clone()));
        let mut wrong_root = honest.clone();
        wrong_root.root += Fr::from(1u64);
        let mut wrong_leaf = honest.clone();
        wrong_leaf.leaf += Fr::from(1u64);
        let mut wrong_sibling = honest.clone();
        wrong_sibling.siblings[5] += Fr::from(1u64);
        let mut wrong_index = honest;
        wrong_index.index ^= 1 << 3;
        for circuit in [wrong_root, wrong_leaf, wrong_sibling, wrong_index] {
            assert!(!satisfied(circuit));
        }
    }
}
