using System.Diagnostics;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Catalog;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.GraphQLApi.Tests.Datasets;

/// <summary>
/// The server keeps its statements prepared per connection; the same request asked again after a commit still reads
/// the table as it is now (DuckDB rebinds a prepared statement whose view was replaced).
/// </summary>
public sealed class ReadAfterCommitTests(IsolatedCity city) : IClassFixture<IsolatedCity>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task the_same_request_after_a_commit_sees_the_new_rows()
    {
        var lake = city.Server.Get<Lake>();
        var definition = new TableDefinition
        {
            Name = "river_patrols",
            Columns = [new("patrol_id", DeltaType.String) { Nullable = false }, new("reach", DeltaType.String), new("km", DeltaType.Double)],
        };
        var descriptor = new DatasetDescriptor { Name = "river_patrols", Title = "River patrols", OwnerDepartment = "D12" };
        var table = await lake.Catalog.CreateDatasetAsync(definition, descriptor, Ct);
        await Append(table, ("P1", "R1", 2.5), ("P2", "R2", 4.0));
        await lake.Catalog.RegisterAsync(descriptor, Ct);
        var watch = Stopwatch.StartNew();
        while ((await city.Server.QueryAsync(city.Keys.Analyst, "{ __type(name: \"RiverPatrols\") { name } }", cancellationToken: Ct)).Ok()["__type"] is null)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "river_patrols did not appear in the schema");
            await Task.Delay(200, Ct);
        }
        const string request = """
            query($reach: String!) {
              river_patrols(filter: { reach: { eq: $reach } }) { totalCount nodes { patrol_id km } }
              river_patrols_aggregate(groupBy: [reach]) { groups { key { reach } count sum { km } } }
            }
            """;

        var before = (await city.Server.QueryAsync(city.Keys.Analyst, request, new { reach = "R1" }, Ct)).Ok();
        await Append(table, ("P3", "R1", 1.5), ("P4", "R3", 7.0));
        var after = (await city.Server.QueryAsync(city.Keys.Analyst, request, new { reach = "R1" }, Ct)).Ok();

        Assert.Equal(1, (int)before["river_patrols"]!["totalCount"]!);
        Assert.Equal(2, before["river_patrols_aggregate"]!["groups"]!.AsArray().Count);
        Assert.Equal(2, (int)after["river_patrols"]!["totalCount"]!);
        var groups = after["river_patrols_aggregate"]!["groups"]!.AsArray();
        Assert.Equal(["R1", "R2", "R3"], groups.Select(g => (string)g!["key"]!["reach"]!));
        Assert.Equal(4.0, (double)groups[0]!["sum"]!["km"]!);
    }

    private static async Task Append(DeltaTable table, params (string Id, string Reach, double Km)[] rows)
    {
        using var batch = table.CreateBatch();
        foreach (var (id, reach, km) in rows)
        {
            batch.AppendRow(id, reach, km);
        }
        await batch.AppendAsync(cancellationToken: Ct);
    }
}
