using OneMap.Ingest.Metrics;

namespace OneMap.Ingest.Tests.Metrics;

public sealed class MetricsTests
{
    [Fact]
    public void writes_prometheus_text_per_worker()
    {
        var metrics = new IngestMetrics();
        var sensors = metrics.Worker("sensors", "sensors");
        sensors.Read(10);
        sensors.Rejected(2);
        sensors.Committed(7, 1, 42);
        metrics.Worker("feed:ecology-stations", "feed").Read(3);

        var text = metrics.ToPrometheusText();

        Assert.Contains("# TYPE onemap_ingest_rows_read_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("onemap_ingest_rows_read_total{worker=\"sensors\",kind=\"sensors\"} 10\n", text, StringComparison.Ordinal);
        Assert.Contains("onemap_ingest_rows_rejected_total{worker=\"sensors\",kind=\"sensors\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("onemap_ingest_rows_duplicate_total{worker=\"sensors\",kind=\"sensors\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("onemap_ingest_last_commit_version{worker=\"sensors\",kind=\"sensors\"} 42\n", text, StringComparison.Ordinal);
        Assert.Contains("onemap_ingest_rows_per_second{worker=\"sensors\",kind=\"sensors\"} 0.7\n", text, StringComparison.Ordinal);
        Assert.Contains("onemap_ingest_rows_read_total{worker=\"feed:ecology-stations\",kind=\"feed\"} 3\n", text, StringComparison.Ordinal);
        // Every sample line is "name{labels} value".
        Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')),
            l => Assert.Matches(@"^onemap_ingest_[a-z_]+\{worker=""[^""]+"",kind=""[a-z]+""\} -?[0-9.e+E-]+$", l));
    }
}
