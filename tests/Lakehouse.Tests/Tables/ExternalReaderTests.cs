using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.Tables;

/// <summary>What docs/lakehouse.md tells a DuckDB user to run against the lake works on OneMap's output.</summary>
public sealed class ExternalReaderTests : LakeTestBase
{
    [Fact]
    public async Task the_documented_duckdb_log_query_lists_exactly_the_active_files()
    {
        var table = await Lake.CreateTableAsync(new TableDefinition
        {
            Name = "events",
            Columns = [new("id", OneMap.Lakehouse.Delta.DeltaType.Long), new("district", OneMap.Lakehouse.Delta.DeltaType.String)],
            PartitionColumns = ["district"],
        }, Ct);
        for (var i = 0; i < 3; i++)
        {
            await table.AppendQueryAsync("SELECT i AS id, ['Licheng', 'a b/c%荔', NULL][1 + i % 3] AS district FROM range($1, $1 + 30) t(i)", [(long)(i * 30)], cancellationToken: Ct);
        }
        await table.DeleteAsync(Predicate.Lt("id", 10L), cancellationToken: Ct);
        await table.OptimizeAsync(cancellationToken: Ct);
        var root = table.Root;
        var sql = $$"""
            WITH actions AS (
              SELECT CAST(regexp_extract(filename, '(\d{20})\.json$', 1) AS BIGINT) AS version,
                     coalesce(add.path, remove.path) AS path, add IS NOT NULL AS added
              FROM read_json('{{root}}/_delta_log/*.json', filename = true, format = 'newline_delimited',
                             columns = {add: 'STRUCT(path VARCHAR)', remove: 'STRUCT(path VARCHAR)'})
              WHERE add IS NOT NULL OR remove IS NOT NULL)
            SELECT '{{root}}/' || url_decode(path) AS file
            FROM actions QUALIFY row_number() OVER (PARTITION BY path ORDER BY version DESC) = 1 AND added
            """;

        using var connection = Lake.Engine.Connect();
        var files = new List<string>();
        using (var reader = connection.Query(sql))
        {
            while (reader.Read())
            {
                files.Add(reader.GetString(0));
            }
        }
        var snapshot = await table.GetSnapshotAsync(Ct);

        Assert.Equal(snapshot.Files.Select(snapshot.FullPath).Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));
        var rows = connection.ExecuteScalar<long>($"SELECT count(*) FROM read_parquet({string.Join(",", "[" + string.Join(",", files.Select(f => $"'{f}'")) + "]")}, hive_partitioning = true)");
        Assert.Equal(await table.CountAsync(cancellationToken: Ct), rows);
    }
}
