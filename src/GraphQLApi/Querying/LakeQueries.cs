using System.Data.Common;
using System.Runtime.CompilerServices;

using Microsoft.Extensions.Options;

using OneMap.DuckDb;
using OneMap.GraphQLApi.Hosting;
using OneMap.Lakehouse;
using OneMap.Lakehouse.GeoParquet;
using OneMap.Lakehouse.Query;
using OneMap.Lakehouse.Spatial;

namespace OneMap.GraphQLApi.Querying;

/// <summary>
/// The API's window on the lake: one DuckDB query session whose views follow every table's latest snapshot, with
/// OneMap's spatial functions registered, and a pool of connections so concurrent requests each run on their own.
/// Queries run off the request thread and are interrupted when the request is cancelled.
/// </summary>
public sealed class LakeQueries : IDisposable
{
    private readonly Lake lake;
    private readonly LakeQuerySession session;
    private readonly DuckDbConnectionPool pool;
    private readonly ConditionalWeakTable<DuckDbConnection, DuckDbStatementCache> statements = [];

    public LakeQueries(Lake lake, IOptions<ApiOptions> options)
    {
        this.lake = lake;
        session = lake.OpenQuerySession(new QuerySessionOptions
        {
            Threads = options.Value.QueryThreads,
            MemoryLimit = options.Value.QueryMemoryLimit,
        });
        pool = new DuckDbConnectionPool(session.Database);
        using (var lease = pool.Rent())
        {
            SpatialFunctions.Register(lease.Connection);
            // The lake's WKB readers (envelope and type in one walk), for the GeoParquet metadata of Parquet exports.
            WkbFunctions.Register(lease.Connection);
        }
    }

    public Lake Lake => lake;

    /// <summary>The DuckDB database behind the views (spatial indexes are kept per database).</summary>
    public DuckDbDatabase Database => session.Database;

    /// <summary>The version a table's view shows now, or null when the table has no view (yet).</summary>
    public long? CurrentVersion(string table) => session.Versions.TryGetValue(table, out var version) ? version : null;

    /// <summary>Whether the session has a view of <paramref name="table"/>.</summary>
    public bool HasTable(string table) => session.Versions.ContainsKey(table);

    /// <summary>The relation to read a table from: its live view, or a view of one version.</summary>
    public string Relation(string table, long? version = null) =>
        version is { } v && v != CurrentVersion(table) ? session.AsOf(table, v) : SqlBuilder.Identifier(table);

    /// <summary>The version of <paramref name="table"/> that was current at <paramref name="time"/>.</summary>
    public long VersionAt(string table, DateTimeOffset time) => lake.Table(table).VersionAt(time);

    /// <summary>Brings every view up to date now (tests and mutations that must read their own writes).</summary>
    public void Refresh() => session.Refresh();

    /// <summary>Runs a query and materialises its rows.</summary>
    public Task<QueryResult> QueryAsync(SqlCommand command, CancellationToken cancellationToken) =>
        Task.Run(() => Read(command, cancellationToken), cancellationToken);

    /// <summary>Runs a query and hands the open reader to <paramref name="consume"/> (for streaming large results).</summary>
    public Task<T> ReadAsync<T>(SqlCommand command, Func<DbDataReader, CancellationToken, T> consume, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            using var lease = pool.Rent();
            using var registration = cancellationToken.Register(lease.Connection.Interrupt);
            try
            {
                using var reader = Statements(lease.Connection).Get(command.Text, command.Parameters).ExecuteReader(cancellationToken);
                return consume(reader, cancellationToken);
            }
            catch (DuckDbException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("the query was cancelled", e, cancellationToken);
            }
        }, cancellationToken);

    /// <summary>Runs a statement that returns nothing (e.g. COPY … TO a file).</summary>
    public Task ExecuteAsync(SqlCommand command, CancellationToken cancellationToken) => Task.Run(() =>
    {
        using var lease = pool.Rent();
        using var registration = cancellationToken.Register(lease.Connection.Interrupt);
        lease.Connection.Execute(command.Text, [.. command.Parameters]);
    }, cancellationToken);

    /// <summary>Runs work on a pooled connection (off the request thread).</summary>
    public Task<T> UseAsync<T>(Func<DuckDbConnection, T> work, CancellationToken cancellationToken) => Task.Run(() =>
    {
        using var lease = pool.Rent();
        using var registration = cancellationToken.Register(lease.Connection.Interrupt);
        return work(lease.Connection);
    }, cancellationToken);

    private QueryResult Read(SqlCommand command, CancellationToken cancellationToken)
    {
        using var lease = pool.Rent();
        using var registration = cancellationToken.Register(lease.Connection.Interrupt);
        try
        {
            using var reader = Statements(lease.Connection).Get(command.Text, command.Parameters).ExecuteReader(cancellationToken);
            var columns = new string[reader.FieldCount];
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i] = reader.GetName(i);
            }
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[columns.Length];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }
                rows.Add(row);
            }
            return new QueryResult(columns, rows);
        }
        catch (DuckDbException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the query was cancelled", e, cancellationToken);
        }
    }

    /// <summary>
    /// The pooled connection's prepared statements: the API runs a few statement shapes with different values, so each
    /// is parsed and planned once per connection (DuckDB rebinds one when a view it reads was replaced by a commit).
    /// </summary>
    private DuckDbStatementCache Statements(DuckDbConnection connection) =>
        statements.GetValue(connection, c => new DuckDbStatementCache(c));

    public void Dispose()
    {
        foreach (var (_, cache) in statements)
        {
            cache.Dispose();
        }
        pool.Dispose();
        session.Dispose();
    }
}
