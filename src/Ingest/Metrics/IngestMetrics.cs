using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace OneMap.Ingest.Metrics;

/// <summary>The metrics of every ingest worker in the process, written as Prometheus text (exposition format 0.0.4).</summary>
public sealed class IngestMetrics(TimeProvider? time = null)
{
    /// <summary>The content type of <see cref="WritePrometheus"/>'s output.</summary>
    public const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly ConcurrentDictionary<string, WorkerMetrics> workers = new(StringComparer.Ordinal);

    /// <summary>The metrics of a worker, created on first use.</summary>
    public WorkerMetrics Worker(string name, string kind) => workers.GetOrAdd(name, n => new WorkerMetrics(n, kind, time));

    public IReadOnlyCollection<WorkerMetrics> Workers => workers.Values.OrderBy(w => w.Name, StringComparer.Ordinal).ToList();

    public string ToPrometheusText()
    {
        var builder = new StringBuilder();
        using var writer = new StringWriter(builder, CultureInfo.InvariantCulture);
        WritePrometheus(writer);
        return builder.ToString();
    }

    public void WritePrometheus(TextWriter writer)
    {
        var all = Workers;
        Family(writer, all, "onemap_ingest_rows_read_total", "counter", "Records read from inputs.", w => w.RowsRead);
        Family(writer, all, "onemap_ingest_rows_written_total", "counter", "Rows committed to the lake.", w => w.RowsWritten);
        Family(writer, all, "onemap_ingest_rows_rejected_total", "counter", "Records quarantined with a reason.", w => w.RowsRejected);
        Family(writer, all, "onemap_ingest_rows_duplicate_total", "counter", "Records dropped as already in the lake (redeliveries).", w => w.RowsDuplicate);
        Family(writer, all, "onemap_ingest_commits_total", "counter", "Commits made.", w => w.Commits);
        Family(writer, all, "onemap_ingest_rows_per_second", "gauge", "Rows committed per second over the last 10 s.", w => w.RowsPerSecond);
        Family(writer, all, "onemap_ingest_lag_seconds", "gauge", "Age of the oldest input not yet committed (0 when idle).", w => w.LagSeconds);
        Family(writer, all, "onemap_ingest_last_commit_timestamp_seconds", "gauge", "Unix time of the last commit (0 before the first).",
            w => w.LastCommit is { } t ? t.ToUnixTimeMilliseconds() / 1000.0 : 0);
        Family(writer, all, "onemap_ingest_last_commit_version", "gauge", "Table version of the last commit (-1 before the first).", w => w.LastVersion);
    }

    private static void Family(TextWriter writer, IReadOnlyCollection<WorkerMetrics> workers, string name, string type, string help, Func<WorkerMetrics, double> value)
    {
        writer.Write("# HELP ");
        writer.Write(name);
        writer.Write(' ');
        writer.WriteLine(help);
        writer.Write("# TYPE ");
        writer.Write(name);
        writer.Write(' ');
        writer.WriteLine(type);
        foreach (var worker in workers)
        {
            writer.Write(name);
            writer.Write("{worker=\"");
            writer.Write(Escape(worker.Name));
            writer.Write("\",kind=\"");
            writer.Write(Escape(worker.Kind));
            writer.Write("\"} ");
            writer.WriteLine(Format(value(worker)));
        }
    }

    private static string Format(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string label) =>
        label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
