use rayon::prelude::*;
use std::time::Instant;
use winter_crypto::ElementHasher;
use zkevm_field::{ntt, Goldilocks, StarkField};
type H = zkevm_prover::Hash;
fn main() {
    let log: u32 = std::env::args().nth(1).map(|s| s.parse().unwrap()).unwrap_or(16);
    let n = 1usize << log;
    let cols: Vec<Vec<Goldilocks>> = (0..64).map(|c| (0..n as u64).map(|i| Goldilocks::new(i * 31 + c)).collect()).collect();
    for _ in 0..2 {
        let t = Instant::now();
        let polys: Vec<Vec<Goldilocks>> = cols.par_iter().map(|c| { let mut c = c.clone(); ntt::intt(&mut c); c }).collect();
        let a = t.elapsed();
        let t = Instant::now();
        let out = ntt::coset_lde(&cols, 8, Goldilocks::GENERATOR);
        let b = t.elapsed();
        let t = Instant::now();
        let rows = n * 8;
        let mut data = zkevm_field::alloc::zeroed_vec(rows * 64);
        data.par_chunks_mut(64 * 64).enumerate().for_each(|(block, chunk)| {
            let r0 = block * 64;
            for (c, column) in out.iter().enumerate() {
                for (r, &v) in column[r0..r0 + 64].iter().enumerate() { chunk[r * 64 + c] = v; }
            }
        });
        let c = t.elapsed();
        let t = Instant::now();
        data.par_chunks_mut(64 * 64).enumerate().for_each(|(block, chunk)| {
            let r0 = block * 64;
            for (c, column) in out.iter().enumerate() {
                for (r, &v) in column[r0..r0 + 64].iter().enumerate() { chunk[r * 64 + c] = v; }
            }
        });
        println!("second transpose {:?}", t.elapsed());
        let t = Instant::now();
        let leaves: Vec<_> = data.par_chunks(64).map(|r| H::hash_elements(r)).collect();
        let d = t.elapsed();
        let t = Instant::now();
        let tree = zkevm_prover::merkle::MerkleVc::<H>::build(leaves).unwrap();
        let e = t.elapsed();
        drop((polys, out, tree));
        println!("intt {a:?} lde {b:?} transpose {c:?} hash {d:?} tree {e:?}");
    }
}
