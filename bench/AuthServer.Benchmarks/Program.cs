using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/AuthServer.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
