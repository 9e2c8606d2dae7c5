using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Rotor.Benchmarks.TokenBenchmarks).Assembly).Run(args);
