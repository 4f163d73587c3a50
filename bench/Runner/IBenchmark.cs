namespace OneMap.Bench.Runner;

/// <summary>
/// One benchmark: measures a OneMap figure and a reference figure (DuckDB's own COPY, PostGIS, graphql-js, the
/// broker's raw rate…) in the same run, and reports their ratio. Implementations are found by reflection.
/// </summary>
public interface IBenchmark
{
    /// <summary>Short name used on the command line, e.g. <c>duckdb-appender</c>.</summary>
    string Name { get; }

    /// <summary>One line saying what is measured against what.</summary>
    string Description { get; }

    Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken);
}
