using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/micro -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
