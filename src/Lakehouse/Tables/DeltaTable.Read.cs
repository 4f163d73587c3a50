using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

/// <summary>
/// SQL reading a snapshot's rows: the data files left after pruning by partition values and statistics, and the
/// predicate itself (as parameters <c>$1…</c>) so only matching rows come back. Run it on any DuckDB connection.
/// </summary>
public sealed record TableScan(string Sql, IReadOnlyList<object?> Parameters, IReadOnlyList<AddFile> Files, long Version);

public sealed partial class DeltaTable
{
    /// <summary>A scan of <paramref name="snapshot"/> (default the latest) restricted to <paramref name="predicate"/>.</summary>
    public TableScan Scan(DeltaSnapshot? snapshot = null, Predicate? predicate = null)
    {
        snapshot ??= Latest();
        ProtocolSupport.EnsureReadable(snapshot, Name);
        var parameters = new List<object?>();
        if (predicate is null)
        {
            var all = snapshot.Files.ToList();
            return new TableScan(SnapshotSql.Select(snapshot, all), parameters, all, snapshot.Version);
        }
        FilePruning.Validate(snapshot, predicate, Name);
        var files = FilePruning.Candidates(snapshot, predicate).ToList();
        var sql = files.Count == 0
            ? SnapshotSql.Empty(snapshot.Schema)
            : $"SELECT * FROM ({SnapshotSql.Select(snapshot, files)}) WHERE {predicate.ToSql(parameters)}";
        return new TableScan(sql, parameters, files, snapshot.Version);
    }

    /// <summary>Counts the rows of the latest snapshot (or of <paramref name="version"/>) matching <paramref name="predicate"/>.</summary>
    public Task<long> CountAsync(Predicate? predicate = null, long? version = null, CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        var snapshot = version is { } v ? AtVersion(v, cancellationToken) : Latest(cancellationToken);
        var scan = Scan(snapshot, predicate);
        using var connection = engine.Connect();
        using var registration = cancellationToken.Register(connection.Interrupt);
        return connection.ExecuteScalar<long>($"SELECT count(*) FROM ({scan.Sql})", [.. scan.Parameters]);
    }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="sql"/> on the lake engine with <c>{table}</c> standing for the snapshot's rows (pruned by
    /// <paramref name="predicate"/>), and returns every row. For tests and small results; use a query session for more.
    /// </summary>
    public Task<IReadOnlyList<object?[]>> QueryAsync(string sql, Predicate? predicate = null, long? version = null, CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        var snapshot = version is { } v ? AtVersion(v, cancellationToken) : Latest(cancellationToken);
        var scan = Scan(snapshot, predicate);
        using var connection = engine.Connect();
        using var registration = cancellationToken.Register(connection.Interrupt);
        using var reader = connection.Query(sql.Replace("{table}", $"({scan.Sql})", StringComparison.Ordinal), [.. scan.Parameters]);
        return (IReadOnlyList<object?[]>)reader.ReadAllRows();
    }, cancellationToken);
}
