using System.Collections.Concurrent;

namespace OneMap.GraphQLApi.Security;

/// <summary>
/// A token bucket per API key or token subject: <see cref="RoleLimitOptions.Burst"/> requests at once, refilled at
/// <see cref="RoleLimitOptions.RequestsPerSecond"/>. A refused request learns how long to wait.
/// </summary>
public sealed class RateLimiter(TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, Bucket> buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider clock = time ?? TimeProvider.System;

    /// <summary>Takes one request from the caller's bucket; false (with the wait) when it is empty.</summary>
    public bool TryAcquire(string key, RoleLimitOptions limits, out TimeSpan retryAfter)
    {
        var now = clock.GetTimestamp();
        var bucket = buckets.GetOrAdd(key, _ => new Bucket(limits.Burst, now));
        lock (bucket)
        {
            var elapsed = clock.GetElapsedTime(bucket.Updated, now).TotalSeconds;
            bucket.Tokens = Math.Min(limits.Burst, bucket.Tokens + elapsed * limits.RequestsPerSecond);
            bucket.Updated = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / limits.RequestsPerSecond);
            return false;
        }
    }

    private sealed class Bucket(double tokens, long updated)
    {
        public double Tokens { get; set; } = tokens;

        public long Updated { get; set; } = updated;
    }
}
