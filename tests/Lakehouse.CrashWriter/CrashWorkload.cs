using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.CrashWriter;

/// <summary>
/// A deterministic sequence of appends and merges on one table. Operation i is committed with the txn marker
/// (<see cref="AppId"/>, i), so the table itself says how many operations it holds, and <see cref="Expected"/>
/// recomputes the exact rows that many operations must leave.
/// </summary>
public static class CrashWorkload
{
    public const string AppId = "crash-writer";

    public static readonly TableDefinition Table = new()
    {
        Name = "events",
        Columns =
        [
            new("key", DeltaType.Long) { Nullable = false },
            new("bucket", DeltaType.Long) { Nullable = false },
            new("batch", DeltaType.Long) { Nullable = false },
            new("payload", DeltaType.String),
        ],
        PartitionColumns = ["bucket"],
        KeyColumns = ["key"],
        // Checkpoints every few commits, so kills also land in checkpoint writing.
        CheckpointInterval = 4,
    };

    public static bool IsMerge(long op) => op % 3 == 2;

    /// <summary>
    /// The keys operation <paramref name="op"/> writes: appends write 100 fresh keys; merges rewrite every 7th key of the
    /// two operations before (some exist, some do not) and insert 50 fresh ones.
    /// </summary>
    public static IEnumerable<long> Keys(long op) => IsMerge(op)
        ? Enumerable.Range(0, 29).Select(j => ((op - 2) * 100) + (j * 7)).Concat(Enumerable.Range(0, 50).Select(j => (op * 100) + j))
        : Enumerable.Range(0, 100).Select(j => (op * 100) + j);

    public static string Payload(long op) => (IsMerge(op) ? "m" : "a") + op;

    public static Task<CommitResult> RunAsync(DeltaTable table, long op, CancellationToken cancellationToken)
    {
        var options = new CommitOptions { AppId = AppId, AppVersion = op };
        var keys = "[" + string.Join(",", Keys(op)) + "]";
        var sql = "SELECT k AS key, k % 4 AS bucket, $1 AS batch, $2 AS payload FROM (SELECT unnest(CAST($3 AS BIGINT[])) AS k)";
        object?[] parameters = [op, Payload(op), keys];
        return IsMerge(op)
            ? table.MergeQueryAsync(sql, parameters, options: options, cancellationToken: cancellationToken)
            : table.AppendQueryAsync(sql, parameters, options, cancellationToken);
    }

    /// <summary>The rows (key → batch, payload) after operations 0…<paramref name="lastOp"/>.</summary>
    public static SortedDictionary<long, (long Batch, string Payload)> Expected(long lastOp)
    {
        var rows = new SortedDictionary<long, (long, string)>();
        for (var op = 0; op <= lastOp; op++)
        {
            foreach (var key in Keys(op))
            {
                rows[key] = (op, Payload(op));
            }
        }
        return rows;
    }
}
