//! Our `TraceLde`: the main trace extended with the field crate's SIMD coset LDE, stored
//! row-major, and committed with a parallel Merkle tree over Blake3 row hashes.
//!
//! The main LDE and tree are built once, by [`MainCommitment::build`], *before* the bus
//! challenges exist (the block transcript needs every component's root). The same object is
//! then handed to winterfell's prover, whose `new_trace_lde` takes it instead of extending the
//! trace again. The auxiliary segment (the LogUp columns, in the extension field) goes through
//! the same SIMD LDE: the evaluation domain lies in the base field, so an extension column
//! extends component by component, and its row-major base layout `[e₀.0, e₀.1, e₁.0, …]` is
//! exactly the extension row winterfell hashes and reads (canonical elements hash by their
//! bytes).

use crate::merkle::MerkleVc;
use crate::pool;
use crate::row_hash;
use rayon::prelude::*;
use tracing::info_span;
use winter_air::proof::Queries;
use winter_crypto::{ElementHasher, Hasher, VectorCommitment};
use winterfell::matrix::ColMatrix;
use winterfell::{EvaluationFrame, StarkDomain, TraceInfo, TraceLde, TracePolyTable};
use zkevm_field::{ntt, FieldElement, Goldilocks, StarkField};

/// A row-major matrix of base-field elements.
#[derive(Debug, Clone)]
pub struct RowMajor {
    data: Vec<Goldilocks>,
    width: usize,
}

impl Drop for RowMajor {
    fn drop(&mut self) {
        pool::give(std::mem::take(&mut self.data));
    }
}

impl RowMajor {
    /// Row `i`.
    pub fn row(&self, i: usize) -> &[Goldilocks] {
        &self.data[i * self.width..(i + 1) * self.width]
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.data.len() / self.width.max(1)
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.width
    }
}

/// The committed main segment of one trace: its LDE, Merkle tree and polynomials.
pub struct MainCommitment<H: Hasher> {
    lde: RowMajor,
    tree: MerkleVc<H>,
    polys: Option<ColMatrix<Goldilocks>>,
    blowup: usize,
}

impl<H> MainCommitment<H>
where
    H: ElementHasher<BaseField = Goldilocks> + 'static,
    H::Digest: Send + Sync,
{
    /// Interpolates `columns` (each a power-of-two length ≥ 8), extends them by `blowup` over
    /// the coset `g·⟨ω⟩` (g = winterfell's domain offset) and commits to the rows. The
    /// extension starts from the interpolated coefficients, which winterfell also needs.
    pub fn build<C: AsRef<[Goldilocks]> + Sync>(columns: &[C], blowup: usize) -> Self {
        let n = columns.first().map_or(0, |c| c.as_ref().len());
        let width = columns.len();
        let lde_rows = n * blowup;
        let polys = info_span!("interpolate_main", columns = width, rows = n).in_scope(|| {
            let coefficients: Vec<Vec<Goldilocks>> = columns
                .par_iter()
                .map(|column| {
                    let mut c = column.as_ref().to_vec();
                    ntt::intt(&mut c);
                    c
                })
                .collect();
            ColMatrix::new(coefficients)
        });

        let inputs: Vec<&[Goldilocks]> = polys.columns().collect();
        let (lde, tree) = extend_and_commit(Segment::Main, &inputs, blowup);
        debug_assert_eq!(lde.rows(), lde_rows);
        Self {
            lde,
            tree,
            polys: Some(polys),
            blowup,
        }
    }

    /// The Merkle root of the main LDE: the commitment winterfell writes into the proof.
    pub fn root(&self) -> H::Digest {
        self.tree.commitment()
    }

    /// The extended main trace.
    pub fn lde(&self) -> &RowMajor {
        &self.lde
    }
}

/// The trace segment an LDE belongs to, which names its profiling spans.
#[derive(Clone, Copy)]
enum Segment {
    Main,
    Aux,
}

/// The span of one phase of [`extend_and_commit`]: `extend_*` (the row-major LDE), `hash_*`
/// (Blake3 row hashes), `commit_*` (the Merkle tree), for `*` = main or aux.
fn phase_span(segment: Segment, phase: usize, lde_rows: usize) -> tracing::Span {
    match (segment, phase) {
        (Segment::Main, 0) => info_span!("extend_main", lde_rows),
        (Segment::Main, 1) => info_span!("hash_main", lde_rows),
        (Segment::Main, _) => info_span!("commit_main", lde_rows),
        (Segment::Aux, 0) => info_span!("extend_aux", lde_rows),
        (Segment::Aux, 1) => info_span!("hash_aux", lde_rows),
        (Segment::Aux, _) => info_span!("commit_aux", lde_rows),
    }
}

/// Scratch [`extend_rows`] may hold at once: its group of column-major columns (8 columns of
/// 2^21 rows, 32 of 2^19), small beside the row-major result.
const EXTEND_SCRATCH_BYTES: usize = 128 << 20;
/// Columns extended at once by [`extend_rows`]: at least enough for both threads; more when
/// they fit the scratch, since each group is one more pass writing into every row.
const EXTEND_GROUP_MIN: usize = 8;
const EXTEND_GROUP_MAX: usize = 32;

/// The group size [`extend_rows`] uses for columns of `lde_rows` rows.
fn extend_group(lde_rows: usize) -> usize {
    let fits = EXTEND_SCRATCH_BYTES / (lde_rows.max(1) * core::mem::size_of::<Goldilocks>());
    fits.clamp(EXTEND_GROUP_MIN, EXTEND_GROUP_MAX)
}

/// The LDE of coefficient columns (equal lengths) by `blowup` over the coset `offset·⟨ω⟩`,
/// row-major, in a buffer from the [`pool`]. The columns are extended a group of
/// [`extend_group`] columns at a time through reused column-major scratch (at blowup 8 each
/// group's last transform pass writes straight into the rows): the whole LDE is never held
/// column-major as well (touching fresh memory is the dearest part of a large LDE here).
pub fn extend_rows(
    coefficients: &[&[Goldilocks]],
    blowup: usize,
    offset: Goldilocks,
) -> Vec<Goldilocks> {
    let width = coefficients.len();
    let lde_rows = coefficients.first().map_or(0, |c| c.len()) * blowup;
    let mut data = pool::take(lde_rows * width);
    let group = extend_group(lde_rows).min(width).max(1);
    let mut scratch: Vec<Vec<Goldilocks>> = (0..group).map(|_| pool::take(lde_rows)).collect();
    ntt::coset_lde_rows_from_coefficients_into(
        coefficients,
        blowup,
        offset,
        &mut scratch,
        &mut data,
    );
    scratch.into_iter().for_each(pool::give);
    data
}

/// Extends coefficient columns by `blowup` over the coset `g·⟨ω⟩` (g = winterfell's domain
/// offset) and commits to the rows of the result.
fn extend_and_commit<H>(
    segment: Segment,
    coefficients: &[&[Goldilocks]],
    blowup: usize,
) -> (RowMajor, MerkleVc<H>)
where
    H: ElementHasher<BaseField = Goldilocks> + 'static,
    H::Digest: Send + Sync,
{
    let width = coefficients.len();
    let lde_rows = coefficients.first().map_or(0, |c| c.len()) * blowup;
    let data = phase_span(segment, 0, lde_rows)
        .in_scope(|| extend_rows(coefficients, blowup, Goldilocks::GENERATOR));
    let leaves =
        phase_span(segment, 1, lde_rows).in_scope(|| row_hash::hash_all_rows::<H>(&data, width));
    let tree = phase_span(segment, 2, lde_rows)
        .in_scope(|| MerkleVc::build(leaves).expect("LDE row count is a power of two"));
    (RowMajor { data, width }, tree)
}

/// winterfell's view of our trace LDE.
pub struct ZkTraceLde<E: FieldElement<BaseField = Goldilocks>, H: Hasher> {
    main: MainCommitment<H>,
    /// The auxiliary LDE, row-major in base-field components (`E::EXTENSION_DEGREE` per
    /// element), and its tree.
    aux: Option<(RowMajor, MerkleVc<H>)>,
    trace_info: TraceInfo,
    _extension: core::marker::PhantomData<E>,
}

impl<E, H> ZkTraceLde<E, H>
where
    E: FieldElement<BaseField = Goldilocks>,
    H: ElementHasher<BaseField = Goldilocks> + 'static,
    H::Digest: Send + Sync,
{
    /// Wraps a main commitment; returns it with the main-trace polynomials winterfell needs
    /// for the out-of-domain evaluation.
    pub fn new(mut main: MainCommitment<H>, trace_info: &TraceInfo) -> (Self, TracePolyTable<E>) {
        let polys = main.polys.take().expect("main polynomials are taken once");
        (
            Self {
                main,
                aux: None,
                trace_info: trace_info.clone(),
                _extension: core::marker::PhantomData,
            },
            TracePolyTable::new(polys),
        )
    }
}

fn queries<H, F>(rows: Vec<Vec<F>>, tree: &MerkleVc<H>, positions: &[usize]) -> Queries
where
    H: ElementHasher<BaseField = Goldilocks> + 'static,
    H::Digest: Send + Sync,
    F: FieldElement<BaseField = Goldilocks>,
{
    let (_, opening) = tree
        .open_many(positions)
        .expect("query positions lie inside the LDE domain");
    Queries::new::<H, F, MerkleVc<H>>(opening, rows)
}

impl<E, H> TraceLde<E> for ZkTraceLde<E, H>
where
    E: FieldElement<BaseField = Goldilocks>,
    H: ElementHasher<BaseField = Goldilocks> + Sync + 'static,
    H::Digest: Send + Sync,
{
    type HashFn = H;
    type VC = MerkleVc<H>;

    fn get_main_trace_commitment(&self) -> H::Digest {
        self.main.root()
    }

    fn set_aux_trace(
        &mut self,
        aux_trace: &ColMatrix<E>,
        domain: &StarkDomain<Goldilocks>,
    ) -> (ColMatrix<E>, H::Digest) {
        let _span = info_span!("extend_and_commit_aux", columns = aux_trace.num_cols()).entered();
        let polys = aux_trace.interpolate_columns();
        // Base component `c` of extension column `j` is base column `j·d + c`, so the LDE's
        // base rows are the extension rows' element-by-element layout.
        let d = E::EXTENSION_DEGREE;
        let components: Vec<Vec<Goldilocks>> = (0..polys.num_cols() * d)
            .into_par_iter()
            .map(|k| {
                let base = E::slice_as_base_elements(polys.get_column(k / d));
                base.iter().skip(k % d).step_by(d).copied().collect()
            })
            .collect();
        let inputs: Vec<&[Goldilocks]> = components.iter().map(Vec::as_slice).collect();
        let blowup = domain.trace_to_lde_blowup();
        let (lde, tree) = extend_and_commit::<H>(Segment::Aux, &inputs, blowup);
        let root = tree.commitment();
        self.aux = Some((lde, tree));
        (polys, root)
    }

    fn read_main_trace_frame_into(&self, lde_step: usize, frame: &mut EvaluationFrame<Goldilocks>) {
        let rows = self.main.lde.rows();
        let next = (lde_step + self.main.blowup) % rows;
        frame
            .current_mut()
            .copy_from_slice(self.main.lde.row(lde_step));
        frame.next_mut().copy_from_slice(self.main.lde.row(next));
    }

    fn read_aux_trace_frame_into(&self, lde_step: usize, frame: &mut EvaluationFrame<E>) {
        if let Some((lde, _)) = &self.aux {
            let next = (lde_step + self.main.blowup) % lde.rows();
            let row = |i: usize| E::slice_from_base_elements(lde.row(i));
            frame.current_mut().copy_from_slice(row(lde_step));
            frame.next_mut().copy_from_slice(row(next));
        }
    }

    fn query(&self, positions: &[usize]) -> Vec<Queries> {
        let main_rows = positions
            .iter()
            .map(|&p| self.main.lde.row(p).to_vec())
            .collect();
        let mut out = vec![queries::<H, Goldilocks>(
            main_rows,
            &self.main.tree,
            positions,
        )];
        if let Some((lde, tree)) = &self.aux {
            let rows = (positions.iter())
                .map(|&p| E::slice_from_base_elements(lde.row(p)).to_vec())
                .collect();
            out.push(queries::<H, E>(rows, tree, positions));
        }
        out
    }

    fn trace_len(&self) -> usize {
        self.main.lde.rows()
    }

    fn blowup(&self) -> usize {
        self.main.blowup
    }

    fn trace_info(&self) -> &TraceInfo {
        &self.trace_info
    }
}
