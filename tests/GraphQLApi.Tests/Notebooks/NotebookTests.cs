using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using OneMap.DuckDb;
using OneMap.GraphQLApi.Tests.Support;

namespace OneMap.GraphQLApi.Tests.Notebooks;

/// <summary>
/// Every notebook in notebooks/ runs, cell by cell, against the OneMap server in its own process over the sample city,
/// with nothing but python3; what it prints is checked against the server's own answers and, for the Parquet export,
/// against DuckDB reading the downloaded file.
/// </summary>
public sealed partial class NotebookTests(NotebookServer server) : IClassFixture<NotebookServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<NotebookRun> RunAsync(string notebook, string? apiKey = null) =>
        PythonRunner.RunAsync([PythonRunner.Notebook(notebook)], new Dictionary<string, string>
        {
            ["ONEMAP_URL"] = server.Url.ToString(),
            ["ONEMAP_API_KEY"] = apiKey ?? server.AnalystKey,
            ["ONEMAP_OUTPUT"] = server.OutputFolder,
        }, Ct);

    private static NotebookRun Succeeded(NotebookRun run)
    {
        Assert.True(run.ExitCode == 0, "the notebook failed: " + run);
        Assert.DoesNotContain("MISMATCH", run.Output, StringComparison.Ordinal);
        return run;
    }

    private static Match Find(NotebookRun run, string pattern)
    {
        var match = Regex.Match(run.Output, pattern, RegexOptions.Multiline);
        Assert.True(match.Success, $"the notebook printed nothing matching /{pattern}/:\n{run.Output}");
        return match;
    }

    private static long Number(Match match, int group = 1) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task water_quality_notebook_shows_the_network_the_worst_station_its_upstream_and_the_alert()
    {
        var run = Succeeded(await RunAsync("water-quality-mulan-river.ipynb"));

        Assert.Contains("113 monitoring points: 60 automatic stations, 53 sampling points", run.Output, StringComparison.Ordinal);
        var classes = Find(run, "^GB 3838 class now: (.+)$").Groups[1].Value;
        Assert.Equal(60, Regex.Matches(classes, @"(?:劣V|[IV]+): (\d+)").Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        Assert.Equal(48, Number(Find(run, @"^(\d+) hourly DO means")));

        // The upstream count is the server's own answer for the station the notebook picked.
        var upstream = Find(run, @"^(\d+) monitoring point\(s\) within 30 km upstream of (WQS-\d{3})");
        var answer = await server.QueryAsync($$"""{ station(id: "{{upstream.Groups[2].Value}}") { upstream(maxKm: 30) { station { id } } } }""", Ct);
        Assert.Equal(answer!["data"]!["station"]!["upstream"]!.AsArray().Count, Number(upstream));
        Assert.True(Number(upstream) > 0, run.Output);
        Assert.Equal(60, Number(Find(run, @"^\d+ valid NH3-N readings from (\d+) stations")));
        Assert.True(File.Exists(Path.Combine(server.OutputFolder, $"do-{upstream.Groups[2].Value}.svg")), "no DO chart was written");

        Assert.Contains("1 pollution alert(s)", run.Output, StringComparison.Ordinal);
        Assert.Contains(server.PlantedAlert.AlertId, run.Output, StringComparison.Ordinal);
        Assert.Contains("outfall " + server.PlantedAlert.Suspects[0].Id, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task grid_governance_notebook_shows_rates_quadrants_grid_colours_and_overdue_tickets()
    {
        var run = Succeeded(await RunAsync("grid-governance.ipynb"));

        // The notebook finds the sample's export time from the data itself.
        Assert.Contains("tickets judged as of " + SampleCity.ExportTime.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), run.Output,
            StringComparison.Ordinal);
        var onTime = double.Parse(Find(run, @"on-time closure over all departments: (\d+\.\d+)%").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(onTime, 90, 100);
        Assert.True(Regex.Matches(run.Output, @"^D\d\d  .+\d+\.\d%", RegexOptions.Multiline).Count >= 10, "the rate table has fewer than 10 departments:\n" + run.Output);

        var evaluated = Number(Find(run, @"^(\d+) departments evaluated"));
        var quadrants = Regex.Matches(run.Output, @"^  (FAST_AND_RESOLVING|FAST_NOT_RESOLVING|SLOW_BUT_RESOLVING|SLOW_NOT_RESOLVING) +(\d+)$", RegexOptions.Multiline);
        Assert.Equal(4, quadrants.Count);
        Assert.Equal(evaluated, quadrants.Sum(m => Number(m, 2)));

        var grids = Find(run, @"^(\d+) grids: red (\d+), yellow (\d+), green (\d+)");
        Assert.Equal(1400, Number(grids));
        Assert.Equal(1400, Number(grids, 2) + Number(grids, 3) + Number(grids, 4));
        var at = SampleCity.ExportTime.ToString("O", CultureInfo.InvariantCulture);
        var red = await server.QueryAsync($$"""{ grids(status: RED, at: "{{at}}") { code } }""", Ct);
        Assert.Equal(red!["data"]!["grids"]!.AsArray().Count, Number(grids, 2));

        var overdue = Find(run, @"^(\d+) open ticket\(s\) past their due time as of .+; (\d+) of those listed were not handled in time");
        Assert.True(Number(overdue) > 0, run.Output);
        if (Number(overdue, 2) > 0)
        {
            Assert.Matches(new Regex(@"^12345-\d{8}-\d{5}  ", RegexOptions.Multiline), run.Output);
        }
    }

    [Fact]
    public async Task exports_notebook_downloads_csv_and_parquet_that_agree_with_the_aggregate_and_with_duckdb()
    {
        var run = Succeeded(await RunAsync("exports-offline.ipynb"));

        var expected = Number(Find(run, @"^(\d+) valid readings to export"));
        var csvRows = Number(Find(run, @"to \S+readings-do-nh3n\.csv: (\d+) rows"));
        var parquetRows = Number(Find(run, @"^(\d+) rows in \d+ row group"));
        Assert.Contains("row count matches the aggregate", run.Output, StringComparison.Ordinal);
        Assert.Contains("row count matches the CSV", run.Output, StringComparison.Ordinal);
        Assert.True(expected > 10_000, run.Output);
        Assert.Equal(expected, csvRows);
        Assert.Equal(expected, parquetRows);
        Find(run, @"^00:00 +\d+\.\d+ +\d+\.\d+ +\d+");
        Find(run, @"^23:00 +\d+\.\d+ +\d+\.\d+ +\d+");

        // A second reader: DuckDB reads the downloaded Parquet file the notebook's footer reader described.
        var parquet = Path.Combine(server.OutputFolder, "readings-do-nh3n.parquet");
        using (var database = DuckDbDatabase.Open())
        using (var connection = database.Connect())
        {
            Assert.Equal(parquetRows, connection.ExecuteScalar<long>("SELECT count(*) FROM read_parquet($1)", parquet));
            Assert.Equal(csvRows, File.ReadLines(Path.Combine(server.OutputFolder, "readings-do-nh3n.csv")).LongCount() - 1);
            Assert.Equal(60L, connection.ExecuteScalar<long>("SELECT count(DISTINCT station_id) FROM read_parquet($1)", parquet));
        }
        Assert.Contains("113 monitoring points (60 automatic, 53 sampling points)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_notebook_run_with_a_refused_key_stops_at_its_first_cell_with_the_reason()
    {
        var run = await RunAsync("water-quality-mulan-river.ipynb", apiKey: "om_000000000000_not-a-key");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cell 1 failed: OneMapError", run.Error, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("cell 2 ---", run.Output, StringComparison.Ordinal);
    }
}
