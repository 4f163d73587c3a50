using OneMap.Lakehouse.Catalog;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.Catalog;

public sealed class CatalogTests : LakeTestBase
{
    private static readonly DatasetDescriptor ReadingsDescriptor = new()
    {
        Name = "readings",
        Title = "Water-quality station readings",
        Description = "Five-minute readings of the automatic stations on the Mulan River",
        OwnerDepartment = "Ecology and Environment Bureau",
        Sources = ["mqtt:water-quality"],
    };

    [Fact]
    public async Task registers_a_dataset_with_schema_units_sensitivity_key_and_partitioning()
    {
        var definition = Readings() with
        {
            KeyColumns = ["station", "ts", "indicator"],
            Columns = [.. Readings().Columns, new ColumnDefinition("operator_phone", DeltaType.String) { Sensitivity = Sensitivity.Personal, Description = "on-call technician" }],
        };
        var table = await Lake.Catalog.CreateDatasetAsync(definition, ReadingsDescriptor, Ct);
        await table.AppendQueryAsync(
            "SELECT 'S1' AS station, DATE '2024-05-01' AS day, now() AS ts, 'DO' AS indicator, 7.5 AS value FROM range(50)",
            options: new CommitOptions { Lineage = new CommitLineage("mqtt:water-quality", ["r-001"]) }, cancellationToken: Ct);

        var info = await Lake.Catalog.GetAsync("readings", cancellationToken: Ct);

        Assert.NotNull(info);
        Assert.Equal("Ecology and Environment Bureau", info.Descriptor.OwnerDepartment);
        Assert.Equal(["station", "ts", "indicator"], info.KeyColumns);
        Assert.Equal(["day"], info.PartitionColumns);
        var value = info.Columns.Single(c => c.Name == "value");
        Assert.Equal("mg/L", value.Unit);
        Assert.Equal("double", value.Type);
        Assert.Equal(Sensitivity.Personal, info.Columns.Single(c => c.Name == "operator_phone").Sensitivity);
        Assert.Equal(Sensitivity.Public, value.Sensitivity);
        Assert.Equal(1, info.Version);
        Assert.Equal(50, info.RowCount);
        var lineage = Assert.Single(info.RecentLineage);
        Assert.Equal(["r-001"], lineage.Receipts);
        Assert.Equal("mqtt:water-quality", lineage.Source);
    }

    [Fact]
    public async Task the_catalog_is_a_delta_table_in_the_lake_readable_by_sql()
    {
        await Lake.Catalog.CreateDatasetAsync(Readings(), ReadingsDescriptor, Ct);
        await Lake.Catalog.CreateDatasetAsync(Readings("grid_events"), ReadingsDescriptor with { Name = "grid_events", OwnerDepartment = "Grid Governance Centre" }, Ct);
        await AppendReadings(Lake.Table("readings"), 20);
        await Lake.Catalog.RefreshAsync(Ct);

        using var session = Lake.OpenQuerySession(new() { RefreshInterval = null });
        var rows = await session.QueryAsync("SELECT name, owner_department, row_count, version, sources[1] FROM _catalog ORDER BY name", cancellationToken: Ct);

        Assert.Equal(2, rows.Rows.Count);
        Assert.Equal(new object?[] { "grid_events", "Grid Governance Centre", 0L, 0L, "mqtt:water-quality" }, rows.Rows[0]);
        Assert.Equal(new object?[] { "readings", "Ecology and Environment Bureau", 20L, 1L, "mqtt:water-quality" }, rows.Rows[1]);
        Assert.Equal(["grid_events", "readings"], (await Lake.Catalog.ListAsync(Ct)).Select(d => d.Descriptor.Name));
        Assert.Equal(["grid_events", "readings"], Lake.TableNames());
    }

    [Fact]
    public async Task unknown_datasets_are_not_in_the_catalog()
    {
        Assert.Null(await Lake.Catalog.GetAsync("nothing", cancellationToken: Ct));
        await Assert.ThrowsAsync<TableNotFoundException>(() => Lake.Catalog.RegisterAsync(ReadingsDescriptor, Ct));
    }

    [Fact]
    public async Task a_dataset_written_by_several_feeds_lists_them_all_and_refresh_brings_freshness_up_to_date()
    {
        var table = await Lake.Catalog.CreateDatasetAsync(Readings(), ReadingsDescriptor, Ct);
        await Lake.Catalog.RegisterAsync(ReadingsDescriptor with { Sources = ["feed:manual-sampling"] }, Ct);
        await Lake.Catalog.RegisterAsync(ReadingsDescriptor, Ct); // known source, same version: no catalog commit
        var catalogVersion = (await Lake.Table("_catalog").GetSnapshotAsync(Ct)).Version;
        await AppendReadings(table, 30);

        await Lake.Catalog.RefreshAsync(["readings"], Ct);
        await Lake.Catalog.RefreshAsync(["readings"], Ct); // already current: no commit

        using var session = Lake.OpenQuerySession(new() { RefreshInterval = null });
        var rows = await session.QueryAsync("SELECT to_json(sources)::VARCHAR, version, row_count, last_commit_time IS NOT NULL FROM _catalog WHERE name = 'readings'", cancellationToken: Ct);
        Assert.Equal(new object?[] { "[\"mqtt:water-quality\",\"feed:manual-sampling\"]", 1L, 30L, true }, Assert.Single(rows.Rows));
        Assert.Equal(catalogVersion + 1, (await Lake.Table("_catalog").GetSnapshotAsync(Ct)).Version);
        Assert.Equal(["mqtt:water-quality", "feed:manual-sampling"], (await Lake.Catalog.GetAsync("readings", cancellationToken: Ct))!.Descriptor.Sources);
    }
}
