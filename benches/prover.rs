//! Criterion view of `zkevm bench prover`: the same 64-column AIR proven by our backend and by
//! stock winterfell (f64), identical options. Run with `cargo bench --bench prover`; set
//! `RAYON_NUM_THREADS=2` to match the CLI's default.

use criterion::{criterion_group, criterion_main, Criterion};
use zkevm::bench::prover::cases;

fn prover(c: &mut Criterion) {
    for mut case in cases(&[16, 18]) {
        let mut group = c.benchmark_group(case.name.clone());
        group.sample_size(10);
        group.bench_function("ours", |b| b.iter(&mut case.ours));
        for (peer, run) in case.peers.iter_mut() {
            group.bench_function(*peer, |b| b.iter(&mut *run));
        }
        group.finish();
    }
}

criterion_group!(benches, prover);
criterion_main!(benches);
