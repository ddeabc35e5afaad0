using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/micro -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(XmppSniff.Benchmarks.PipelineBenchmarks).Assembly).Run(args);
