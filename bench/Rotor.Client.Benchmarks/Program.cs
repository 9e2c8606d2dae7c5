using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Rotor.Client.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(Rotor.Client.Benchmarks.HandlerOverheadBenchmarks).Assembly).Run(args);
