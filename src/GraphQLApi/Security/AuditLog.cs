using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using OneMap.Lakehouse;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.GraphQLApi.Security;

/// <summary>One audited request: who asked what, with the variables only as a hash, and how much came back.</summary>
/// <param name="At">When the request finished.</param>
/// <param name="CallerId">The key id or token subject (<c>anonymous</c> for refused requests).</param>
/// <param name="Role">The caller's role.</param>
/// <param name="Department">The caller's department, if any.</param>
/// <param name="Operation">The operation type and name (or the export), e.g. <c>query StationsNow</c>.</param>
/// <param name="Document">The GraphQL document (first 4,000 characters), or what was downloaded.</param>
/// <param name="DocumentHash">SHA-256 of the document text.</param>
/// <param name="VariablesHash">SHA-256 of the variables' JSON (values are never stored).</param>
/// <param name="Rows">Rows returned (rows, groups, exported rows).</param>
/// <param name="DurationMs">Time taken.</param>
/// <param name="Status">HTTP status.</param>
public sealed record AuditEntry(DateTimeOffset At, string CallerId, string Role, string? Department, string Operation, string? Document, string? DocumentHash, string? VariablesHash,
    long Rows, double DurationMs, int Status);

/// <summary>
/// The audit table <c>_audit</c> in the lake (a Delta table like any other, so auditors can read it with Spark or
/// DuckDB): entries are buffered and committed in batches, so auditing costs a request almost nothing.
/// </summary>
public sealed class AuditLog(Lake lake, IOptions<SecurityOptions> options, ILogger<AuditLog> logger) : BackgroundService
{
    public const string TableName = "_audit";

    public static readonly TableDefinition Definition = new()
    {
        Name = TableName,
        Description = "Who asked the API what: one row per request (variables only hashed).",
        PartitionColumns = ["date"],
        Columns =
        [
            new("at", DeltaType.Timestamp) { Nullable = false, Description = "When the request finished." },
            new("caller_id", DeltaType.String) { Nullable = false, Description = "API key id or token subject." },
            new("role", DeltaType.String) { Nullable = false },
            new("department", DeltaType.String),
            new("operation", DeltaType.String) { Nullable = false, Description = "Operation type and name, or the export." },
            new("document", DeltaType.String) { Description = "The GraphQL document (first 4,000 characters)." },
            new("document_hash", DeltaType.String) { Description = "SHA-256 of the GraphQL document." },
            new("variables_hash", DeltaType.String) { Description = "SHA-256 of the variables (values are not kept)." },
            new("rows", DeltaType.Long) { Nullable = false, Description = "Rows returned.", Unit = "rows" },
            new("duration_ms", DeltaType.Double) { Nullable = false, Unit = "ms" },
            new("status", DeltaType.Integer) { Nullable = false, Description = "HTTP status." },
            new("date", DeltaType.Date) { Nullable = false, Description = "UTC date of at (partition)." },
        ],
    };

    private readonly ConcurrentQueue<AuditEntry> pending = new();
    private readonly SemaphoreSlim flushing = new(1, 1);

    public void Record(AuditEntry entry) => pending.Enqueue(entry);

    /// <summary>The SHA-256 (hex) of a text, or null.</summary>
    public static string? Hash(string? text) =>
        text is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Commits what is buffered now (tests and shutdown); returns how many entries were written.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken = default)
    {
        await flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        var taken = new List<AuditEntry>();
        try
        {
            while (pending.TryDequeue(out var entry))
            {
                taken.Add(entry);
            }
            if (taken.Count == 0)
            {
                return 0;
            }
            var table = await lake.GetOrCreateTableAsync(Definition, cancellationToken).ConfigureAwait(false);
            using var batch = table.CreateBatch();
            foreach (var e in taken)
            {
                batch.AppendRow(e.At.UtcDateTime, e.CallerId, e.Role, e.Department, e.Operation, e.Document is { Length: > 4000 } d ? d[..4000] : e.Document, e.DocumentHash, e.VariablesHash, e.Rows, e.DurationMs, e.Status,
                    DateOnly.FromDateTime(e.At.UtcDateTime));
            }
            await batch.AppendAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return taken.Count;
        }
        catch (Exception e) when (e is LakehouseException or IOException or OneMap.DuckDb.DuckDbException)
        {
            // Nothing is dropped: the entries go back to be committed with the next batch.
            foreach (var entry in taken)
            {
                pending.Enqueue(entry);
            }
            Log.AuditFailed(logger, taken.Count, e.Message, e);
            return 0;
        }
        finally
        {
            flushing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AuditFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
