// Benchmarks print figures; they are never tests. Each prints one JSON line with --json:
// {name, value, unit, baseline, ratio}.
export interface BenchOptions { json?: boolean; only?: string; tier?: string }

export async function runBenchmarks(_opts: BenchOptions): Promise<void> {
  console.error('no benchmarks yet');
  process.exitCode = 1;
}
