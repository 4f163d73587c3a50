using System.Data.Common;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

using Microsoft.Extensions.Logging;

using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Security;

namespace OneMap.GraphQLApi.Exports;

/// <summary>
/// Serves prepared exports at <c>/exports/{token}</c> to the caller that prepared them: CSV streamed row by row as
/// DuckDB produces them; Parquet (GeoParquet when it holds geometries) written by DuckDB to a temporary file, then
/// streamed and deleted.
/// </summary>
public static class ExportEndpoint
{
    public const string Prefix = "/exports/";

    public static string PathFor(string token) => Prefix + token;

    public static async Task HandleAsync(HttpContext context, string token)
    {
        var caller = Caller.From(context.User);
        if (caller is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var registry = context.RequestServices.GetRequiredService<ExportRegistry>();
        var ticket = registry.Find(token, caller.RateKey);
        if (ticket is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("No such export for these credentials (links expire after an hour and work only for whoever prepared them).",
                context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var lake = context.RequestServices.GetRequiredService<LakeQueries>();
        var clock = context.RequestServices.GetRequiredService<CityClock>();
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("OneMap.GraphQLApi.Exports");
        var fileName = $"{ticket.Dataset}-v{ticket.Version.ToString(CultureInfo.InvariantCulture)}.{ticket.Format}";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        long rows;
        if (ticket.Format == "parquet")
        {
            context.Response.ContentType = "application/vnd.apache.parquet";
            rows = await StreamParquetAsync(context, lake, ticket).ConfigureAwait(false);
        }
        else
        {
            context.Response.ContentType = "text/csv; charset=utf-8";
            rows = await StreamCsvAsync(context, lake, clock, ticket).ConfigureAwait(false);
        }
        context.RequestServices.GetRequiredService<AuditLog>().Record(new AuditEntry(DateTimeOffset.UtcNow, caller.Id, caller.Role.Name(), caller.Department,
            "export " + ticket.Dataset + " " + ticket.Format, ExportEndpoint.PathFor(ticket.Token[..8] + "…"), null, null, rows, 0, StatusCodes.Status200OK));
        Log.ExportStreamed(logger, ticket.Token[..8], ticket.Dataset, ticket.Format, rows, caller.Id);
    }

    private static async Task<long> StreamCsvAsync(HttpContext context, LakeQueries lake, CityClock clock, ExportTicket ticket)
    {
        var pipe = new Pipe();
        var cancel = context.RequestAborted;
        var producer = lake.ReadAsync(ticket.Query, (reader, token) =>
        {
            using var stream = pipe.Writer.AsStream();
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
            try
            {
                return WriteCsv(reader, writer, ticket.Columns, clock, token);
            }
            finally
            {
                writer.Flush();
            }
        }, cancel);
        var consumer = pipe.Reader.CopyToAsync(context.Response.Body, cancel);
        long rows;
        try
        {
            rows = await producer.ConfigureAwait(false);
            await pipe.Writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
            throw;
        }
        await consumer.ConfigureAwait(false);
        await pipe.Reader.CompleteAsync().ConfigureAwait(false);
        return rows;
    }

    private static long WriteCsv(DbDataReader reader, TextWriter writer, IReadOnlyList<ColumnModel> columns, CityClock clock, CancellationToken cancellationToken)
    {
        writer.Write(string.Join(',', columns.Select(c => Quote(c.Name))));
        writer.Write("\r\n");
        long rows = 0;
        while (reader.Read())
        {
            if ((rows & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }
                if (reader.IsDBNull(i))
                {
                    continue;
                }
                writer.Write(Quote(Text(RowValues.Convert(reader.GetValue(i), columns[i].Kind, clock))));
            }
            writer.Write("\r\n");
            rows++;
        }
        return rows;
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateTimeOffset t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        byte[] bytes => Convert.ToHexString(bytes),
        System.Collections.IEnumerable list when value is not string => string.Join(';', list.Cast<object?>().Select(Text)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>RFC 4180 quoting, plus a leading apostrophe for text a spreadsheet would run as a formula.</summary>
    private static string Quote(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            text = "'" + text;
        }
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static async Task<long> StreamParquetAsync(HttpContext context, LakeQueries lake, ExportTicket ticket)
    {
        var path = Path.Combine(Path.GetTempPath(), "onemap-export-" + ticket.Token + "-" + Guid.NewGuid().ToString("N") + ".parquet");
        try
        {
            var table = "export_" + Guid.NewGuid().ToString("N");
            var rows = await lake.UseAsync(connection =>
            {
                // COPY takes no parameters: the parameterised SELECT fills a temporary table first.
                connection.Execute($"CREATE TEMP TABLE {table} AS {ticket.Query.Text}", [.. ticket.Query.Parameters]);
                try
                {
                    var count = connection.ExecuteScalar<long>($"SELECT count(*) FROM {table}");
                    var geo = GeoParquetExport.Metadata(connection, table, ticket.Columns);
                    var metadata = geo is null ? "" : $", KV_METADATA {{geo: '{geo.Replace("'", "''", StringComparison.Ordinal)}'}}";
                    connection.Execute($"COPY {table} TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet, COMPRESSION zstd{metadata})");
                    return count;
                }
                finally
                {
                    connection.Execute($"DROP TABLE IF EXISTS {table}");
                }
            }, context.RequestAborted).ConfigureAwait(false);
            context.Response.ContentLength = new FileInfo(path).Length;
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            {
                await file.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            }
            return rows;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
