using System.Reflection;

namespace OneMap.Bench.Runner;

/// <summary>Finds the <see cref="IBenchmark"/> implementations in this assembly and runs the ones asked for.</summary>
public static class BenchmarkRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = 5;
        var names = new List<string>();
        var list = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
                    runs = n;
                    i++;
                    break;
                case "--runs":
                    await Console.Error.WriteLineAsync("--runs takes a positive whole number");
                    return 2;
                case "--list":
                    list = true;
                    break;
                default:
                    names.Add(args[i]);
                    break;
            }
        }

        var all = Assembly.GetExecutingAssembly().GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();

        if (list)
        {
            foreach (var benchmark in all)
            {
                Console.WriteLine($"{benchmark.Name,-28} {benchmark.Description}");
            }
            return 0;
        }

        var unknown = names.Where(n => all.All(b => b.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            await Console.Error.WriteLineAsync($"unknown benchmark(s): {string.Join(", ", unknown)}; --list shows them");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        foreach (var benchmark in all.Where(b => names.Count == 0 || names.Contains(b.Name)))
        {
            var scratch = Path.Combine(Path.GetTempPath(), $"onemap-bench-{benchmark.Name}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(scratch);
            Console.WriteLine($"== {benchmark.Name}: {benchmark.Description} (medians of {runs})");
            try
            {
                await benchmark.RunAsync(new BenchmarkContext(runs, scratch, Console.Out), cancel.Token);
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
        return 0;
    }
}
