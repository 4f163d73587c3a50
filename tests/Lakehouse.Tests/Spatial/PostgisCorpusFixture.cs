using System.Text;

using Npgsql;

using NpgsqlTypes;

using OneMap.Testing;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>
/// Starts PostGIS, sends it the whole agreement corpus in one binary COPY, and asks it for every operation of every
/// pair in one query (each operation wrapped so that a PostGIS error becomes the value "ERR" instead of failing the
/// batch). The answers are the reference the agreement tests compare OneMap with.
/// </summary>
public sealed class PostgisCorpusFixture : IAsyncLifetime
{
    private readonly PostgisServer _server = new();

    internal IReadOnlyList<CorpusPair> Corpus { get; } = AgreementCorpus.Generate();

    /// <summary>PostGIS's answer per operation name, indexed by pair id.</summary>
    internal Dictionary<string, string?[]> Expected { get; } = [];

    internal PostgisServer Server => _server;

    public async ValueTask InitializeAsync()
    {
        await ((IAsyncLifetime)_server).InitializeAsync();
        if (_server.UnavailableReason is not null)
        {
            return;
        }
        var cancellation = TestContext.Current.CancellationToken;
        await using var connection = await _server.OpenConnectionAsync(cancellation);
        await Execute(connection, "CREATE TABLE corpus (id int PRIMARY KEY, a bytea, b bytea, d float8, r float8)", cancellation);
        await using (var import = await connection.BeginBinaryImportAsync("COPY corpus (id, a, b, d, r) FROM STDIN (FORMAT BINARY)", cancellation))
        {
            foreach (var pair in Corpus)
            {
                await import.StartRowAsync(cancellation);
                await import.WriteAsync(pair.Id, NpgsqlDbType.Integer, cancellation);
                await import.WriteAsync(pair.A, NpgsqlDbType.Bytea, cancellation);
                await import.WriteAsync(pair.B, NpgsqlDbType.Bytea, cancellation);
                await import.WriteAsync(pair.WithinMetres, NpgsqlDbType.Double, cancellation);
                await import.WriteAsync(pair.BufferMetres, NpgsqlDbType.Double, cancellation);
            }
            await import.CompleteAsync(cancellation);
        }

        var select = new StringBuilder("SELECT id");
        foreach (var operation in CorpusOperations.All)
        {
            var function = "om_" + operation.Name.Replace('-', '_');
            var parseB = operation.Unary ? "NULL" : "ST_GeomFromWKB(wb, 4326)";
            await Execute(connection, $"""
                CREATE FUNCTION {function}(wa bytea, wb bytea, d float8, r float8) RETURNS text LANGUAGE plpgsql AS $$
                DECLARE a geometry; b geometry;
                BEGIN
                  a := ST_GeomFromWKB(wa, 4326);
                  b := {parseB};
                  RETURN {operation.PostgisExpression};
                EXCEPTION WHEN OTHERS THEN RETURN '{CorpusOperations.Error}';
                END $$
                """, cancellation);
            select.Append(", ").Append(function).Append("(a, b, d, r)");
            Expected[operation.Name] = new string?[Corpus.Count];
        }
        select.Append(" FROM corpus ORDER BY id");

        await using var command = new NpgsqlCommand(select.ToString(), connection);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var id = reader.GetInt32(0);
            for (var i = 0; i < CorpusOperations.All.Count; i++)
            {
                Expected[CorpusOperations.All[i].Name][id] = reader.IsDBNull(i + 1) ? null : reader.GetString(i + 1);
            }
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
