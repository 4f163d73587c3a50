using System.Collections.Concurrent;
using System.Security.Cryptography;

using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Querying;

namespace OneMap.GraphQLApi.Exports;

/// <summary>An export prepared by a query and waiting to be downloaded by the same caller.</summary>
/// <param name="Token">The unguessable id in the download URL.</param>
/// <param name="CallerKey">Who may download it (the caller's method and id).</param>
/// <param name="Dataset">The dataset exported.</param>
/// <param name="Format"><c>csv</c> or <c>parquet</c>.</param>
/// <param name="Query">The SELECT built with the caller's column and row rules.</param>
/// <param name="Columns">The exported columns, in order.</param>
/// <param name="Version">The table version read.</param>
/// <param name="ExpiresAt">When the link stops working.</param>
public sealed record ExportTicket(string Token, string CallerKey, string Dataset, string Format, SqlCommand Query, IReadOnlyList<ColumnModel> Columns, long Version,
    DateTimeOffset ExpiresAt);

/// <summary>Prepared exports by token, forgotten when they expire. Links work on the server that prepared them.</summary>
public sealed class ExportRegistry(TimeProvider? time = null)
{
    /// <summary>How long a link works. One hour.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, ExportTicket> tickets = new(StringComparer.Ordinal);
    private readonly TimeProvider clock = time ?? TimeProvider.System;

    public ExportTicket Add(string callerKey, string dataset, string format, SqlCommand query, IReadOnlyList<ColumnModel> columns, long version)
    {
        Sweep();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var ticket = new ExportTicket(token, callerKey, dataset, format, query, columns, version, clock.GetUtcNow() + Lifetime);
        tickets[token] = ticket;
        return ticket;
    }

    /// <summary>The ticket, if it exists, has not expired and belongs to the caller.</summary>
    public ExportTicket? Find(string token, string callerKey)
    {
        if (!tickets.TryGetValue(token, out var ticket) || ticket.ExpiresAt < clock.GetUtcNow())
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(ticket.CallerKey), System.Text.Encoding.UTF8.GetBytes(callerKey))
            ? ticket
            : null;
    }

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var (token, ticket) in tickets)
        {
            if (ticket.ExpiresAt < now)
            {
                tickets.TryRemove(token, out _);
            }
        }
    }
}
