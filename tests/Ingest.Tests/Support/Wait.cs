using System.Diagnostics;

namespace OneMap.Ingest.Tests.Support;

/// <summary>Polls a condition until it holds; the deadline only bounds a hung test, it asserts nothing about speed.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null, CancellationToken cancellationToken = default, Func<string>? diagnostics = null)
    {
        var limit = deadline ?? TimeSpan.FromSeconds(60);
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > limit)
            {
                var detail = diagnostics?.Invoke() ?? "";
                throw new TimeoutException($"gave up waiting after {limit.TotalSeconds:0} s for: {what}\n{detail[^Math.Min(6000, detail.Length)..]}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null, CancellationToken cancellationToken = default)
    {
        var limit = deadline ?? TimeSpan.FromSeconds(60);
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > limit)
            {
                throw new TimeoutException($"gave up waiting after {limit.TotalSeconds:0} s for: {what}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }
}
