//! Our `ConstraintCommitment`: the composition-polynomial columns extended with the field
//! crate's SIMD LDE (extension-field columns are extended coordinate by coordinate: the
//! transforms are linear over the base field) and committed with our parallel Merkle tree.

use crate::lde::{self, RowMajor};
use crate::merkle::MerkleVc;
use crate::row_hash;
use tracing::info_span;
use winter_air::proof::Queries;
use winter_crypto::{ElementHasher, VectorCommitment};
use winter_prover::ConstraintCommitment;
use winterfell::{CompositionPoly, CompositionPolyTrace, StarkDomain};
use zkevm_field::{FieldElement, Goldilocks};

/// Committed evaluations of the composition-polynomial columns over the LDE domain.
pub struct ZkConstraintCommitment<E: FieldElement<BaseField = Goldilocks>, H: ElementHasher> {
    /// Row-major base-field coordinates: row `j` holds `columns · degree(E)` elements.
    rows: RowMajor,
    tree: MerkleVc<H>,
    _e: core::marker::PhantomData<E>,
}

impl<E, H> ZkConstraintCommitment<E, H>
where
    E: FieldElement<BaseField = Goldilocks>,
    H: ElementHasher<BaseField = Goldilocks> + 'static,
    H::Digest: Send + Sync,
{
    /// Splits the composition polynomial into columns (winterfell's code), extends and commits.
    pub fn new(
        trace: CompositionPolyTrace<E>,
        num_columns: usize,
        domain: &StarkDomain<Goldilocks>,
    ) -> (Self, CompositionPoly<E>) {
        let poly = info_span!("build_composition_poly_columns", num_columns)
            .in_scope(|| CompositionPoly::new(trace, domain, num_columns));
        let n = poly.column_len();
        let blowup = domain.trace_to_lde_blowup();
        let lde_rows = n * blowup;
        let degree = E::EXTENSION_DEGREE;

        // Base-field coordinates of every column's coefficients, extended directly.
        let rows = info_span!("evaluate_composition_poly_columns").in_scope(|| {
            let mut coordinates: Vec<Vec<Goldilocks>> = Vec::with_capacity(num_columns * degree);
            for column in poly.data().columns() {
                coordinates.extend((0..degree).map(|j| zkevm_field::coordinate(column, j)));
            }
            let inputs: Vec<&[Goldilocks]> = coordinates.iter().map(Vec::as_slice).collect();
            lde::extend_rows(&inputs, blowup, domain.offset())
        });
        debug_assert_eq!(
            (rows.rows(), rows.width()),
            (lde_rows, num_columns * degree)
        );

        let tree = info_span!("compute_constraint_evaluation_commitment").in_scope(|| {
            // Blake3 of an extension row is Blake3 of its base coordinates' bytes.
            let leaves = row_hash::hash_all_rows::<H>(rows.cells(), rows.width(), rows.stride());
            MerkleVc::build(leaves).expect("LDE row count is a power of two")
        });
        (
            Self {
                rows,
                tree,
                _e: core::marker::PhantomData,
            },
            poly,
        )
    }
}

impl<E, H> ConstraintCommitment<E> for ZkConstraintCommitment<E, H>
where
    E: FieldElement<BaseField = Goldilocks>,
    H: ElementHasher<BaseField = Goldilocks> + Sync + 'static,
    H::Digest: Send + Sync,
{
    type HashFn = H;
    type VC = MerkleVc<H>;

    fn commitment(&self) -> H::Digest {
        self.tree.commitment()
    }

    fn query(self, positions: &[usize]) -> Queries {
        let (_, opening) = self
            .tree
            .open_many(positions)
            .expect("query positions lie inside the LDE domain");
        let rows = positions
            .iter()
            .map(|&p| E::slice_from_base_elements(self.rows.row(p)).to_vec())
            .collect();
        Queries::new::<H, E, MerkleVc<H>>(opening, rows)
    }
}
