//! Criterion view of `zkevm bench field`: the same workloads (ours and each peer on identical
//! inputs), timed by criterion. Run with `cargo bench --bench field`; the native build flags
//! come from `.cargo/config.toml`.

use criterion::{criterion_group, criterion_main, Criterion};
use zkevm::bench::field::{cases, FieldSuite};

fn field(c: &mut Criterion) {
    for mut case in cases(FieldSuite { large: false }) {
        let mut group = c.benchmark_group(case.name.clone());
        group.sample_size(10);
        group.bench_function("ours", |b| b.iter(&mut case.ours));
        for (peer, run) in case.peers.iter_mut() {
            group.bench_function(*peer, |b| b.iter(&mut *run));
        }
        group.finish();
    }
}

criterion_group!(benches, field);
criterion_main!(benches);
