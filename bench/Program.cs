using OneMap.Bench.Runner;

// dotnet run --project bench -c Release -- [benchmark names…] [--runs N] [--list]
return await BenchmarkRunner.RunAsync(args);
