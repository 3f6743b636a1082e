// `npm run bench`: runs every benchmark group and writes the figures (see bench-harness.ts). Not part of `npm test`.
import { runBenchmarks, type Benchmark } from './bench-harness';
import { clientStoreBenchmark } from './client-store.bench';
import { captureBenchmark } from './capture.bench';
import { syncBenchmark } from './sync.bench';
import { rendererBenchmark } from './renderer.bench';

const benchmarks: Benchmark[] = [clientStoreBenchmark, captureBenchmark, syncBenchmark, rendererBenchmark];

await runBenchmarks(benchmarks, process.argv.slice(2));
