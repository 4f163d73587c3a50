using System.Globalization;

using Microsoft.Extensions.DependencyInjection;

using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Schema;
using OneMap.GraphQLApi.Security;
using OneMap.Ingest.Metrics;
using OneMap.Ingest.Receipts;
using OneMap.Lakehouse;

namespace OneMap.GraphQLApi.Catalog;

/// <summary>
/// The catalog: every dataset with its owner, schema (the columns the caller may see), sensitivity, freshness,
/// lineage and ingest receipts; and the health of the ingest workers (lag and rejection rate per worker).
/// </summary>
public sealed class CatalogFields : ISchemaContributor
{
    public void Contribute(SchemaBuilder schema, DatasetSet datasets)
    {
        schema.Enum("Sensitivity", e => e.Description("Who may see a column's values.")
            .Value("PUBLIC", "Public").Value("INTERNAL", "Internal").Value("PERSONAL", "Personal"));
        schema.Object("CatalogColumn", o => o.Description("A column of a dataset.")
            .Field("name", "String!").Field("fieldName", "String!", f => f.Description("Its name in the GraphQL schema."))
            .Field("type", "String!", f => f.Description("Delta Lake type."))
            .Field("nullable", "Boolean!").Field("unit", "String").Field("sensitivity", "Sensitivity!").Field("description", "String"));
        schema.Object("DepartmentRef", o => o.Description("A department.").Field("code", "String!").Field("name", "String"));
        schema.Object("Freshness", o => o.Description("How recent the data is.")
            .Field("lastCommit", "DateTime!").Field("ageSeconds", "Float!", f => f.Description("Seconds since the last commit.")));
        schema.Object("LineageEntry", o => o.Description("A commit and the inputs that produced it.")
            .Field("version", "Long!").Field("time", "DateTime!").Field("operation", "String!").Field("source", "String!").Field("receipts", "[String!]!"));
        schema.Object("IngestReceipt", o => o.Description("What became of one ingested input: rows read = written + rejected + duplicate.")
            .Field("receiptId", "String!").Field("sourceKind", "String!").Field("source", "String!").Field("input", "String!").Field("dataset", "String!")
            .Field("status", "String!").Field("rowsRead", "Long!").Field("rowsWritten", "Long!").Field("rowsRejected", "Long!").Field("rowsDuplicate", "Long!")
            .Field("tableVersion", "Long").Field("message", "String").Field("startedAt", "DateTime!").Field("finishedAt", "DateTime!")
            .Field("reconciles", "Boolean!"));
        DatasetExtentField.Declare(schema);
        schema.Object("DatasetEntry", o => o.Description("A dataset of the lake as the catalog records it.")
            .Field("name", "String!").Field("fieldName", "String!", f => f.Description("Its query field (and `<fieldName>_aggregate`, `<fieldName>_export`)."))
            .Field("title", "String").Field("description", "String")
            .Field("owner", "DepartmentRef")
            .Field("columns", "[CatalogColumn!]!", f => f.Description("The columns you may see."))
            .Field("keyColumns", "[String!]!").Field("partitionColumns", "[String!]!")
            .Field("version", "Long!").Field("rowCount", "Long").Field("fileCount", "Int!").Field("sizeBytes", "Long!")
            .Field("freshness", "Freshness!")
            .Field("extent", "DatasetExtent!", f => f.Description("How far the data reaches: time columns' first and last values, the geometries' bbox.")
                .Resolve(Resolvers.Of(DatasetExtentField.ResolveAsync)))
            .Field("lineage", "[LineageEntry!]!", f => f.Argument("limit", "Int", 20).Metadata(SchemaMetadata.MinRole, ApiRole.Analyst)
                .Resolve(Resolvers.Of(LineageAsync)))
            .Field("receipts", "[IngestReceipt!]!", f => f.Argument("limit", "Int", 20).Metadata(SchemaMetadata.MinRole, ApiRole.Analyst)
                .Resolve(Resolvers.Of(ReceiptsAsync))));
        schema.Object("WorkerHealth", o => o.Description("An ingest worker of this process.")
            .Field("worker", "String!").Field("kind", "String!")
            .Field("rowsRead", "Long!").Field("rowsWritten", "Long!").Field("rowsRejected", "Long!").Field("rowsDuplicate", "Long!")
            .Field("rejectionRate", "Float!", f => f.Description("Rejected / read (0 when nothing was read)."))
            .Field("lagSeconds", "Float!", f => f.Description("Age of the oldest input not committed yet."))
            .Field("rowsPerSecond", "Float!").Field("commits", "Long!").Field("lastCommit", "DateTime").Field("lastVersion", "Long!"));
        schema.Object("SourceHealth", o => o.Description("An ingest source as its receipts in the lake tell it (workers of every process).")
            .Field("source", "String!").Field("sourceKind", "String!").Field("inputs", "Long!").Field("refused", "Long!")
            .Field("rowsRead", "Long!").Field("rowsRejected", "Long!").Field("rejectionRate", "Float!")
            .Field("lastInputAt", "DateTime").Field("lagSeconds", "Float", f => f.Description("Seconds since the source last delivered.")));
        schema.Object("Catalog", o => o.Description("The datasets of the lake and the health of ingest.")
            .Field("datasets", "[DatasetEntry!]!", f => f.Resolve(Resolvers.Of(async (context, request) =>
            {
                // Freshness, size and versions are read live; the schema's own copy of the catalog only changes with the schema.
                var live = (await request.Get<Lake>().Catalog.ListAsync(context.CancellationToken).ConfigureAwait(false))
                    .ToDictionary(i => i.Descriptor.Name, StringComparer.Ordinal);
                return (object?)request.Datasets.Datasets.Select(d => Entry(d, live.GetValueOrDefault(d.Name) ?? d.Info, request)).ToList();
            })))
            .Field("dataset", "DatasetEntry", f => f.Argument("name", "String!").Resolve(Resolvers.Of(async (context, request) =>
            {
                if (request.Datasets[context.Argument<string>("name")!] is not { } d)
                {
                    return null;
                }
                var live = await request.Get<Lake>().Catalog.GetAsync(d.Name, 0, context.CancellationToken).ConfigureAwait(false);
                return (object?)Entry(d, live ?? d.Info, request);
            })))
            .Field("ingestHealth", "[WorkerHealth!]!", f => f.Description("Ingest workers running in this server process.").Metadata(SchemaMetadata.MinRole, ApiRole.Analyst)
                .Resolve(Resolvers.Of((_, request) => (object?)WorkerHealth(request))))
            .Field("sourceHealth", "[SourceHealth!]!", f => f.Description("Every ingest source, from the receipts in the lake.").Metadata(SchemaMetadata.MinRole, ApiRole.Analyst)
                .Resolve(Resolvers.Of(SourceHealthAsync))));
        schema.Query(q => q.Field("catalog", "Catalog!", f => f.Description("The dataset catalog and ingest health.")
            .Resolve(Resolvers.Of((_, _) => (object?)new Dictionary<string, object?>()))));
    }

    private static Dictionary<string, object?> Entry(DatasetModel dataset, Lakehouse.Catalog.DatasetInfo info, ApiRequest request)
    {
        var access = request.Get<AccessPolicy>().For(request.Caller, dataset);
        var clock = request.Get<CityClock>();
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["$dataset"] = dataset,
            ["name"] = dataset.Name,
            ["fieldName"] = dataset.FieldName,
            ["title"] = dataset.Title,
            ["description"] = dataset.Description,
            ["owner"] = dataset.Owner is null ? null : new Dictionary<string, object?> { ["code"] = dataset.Owner, ["name"] = Departments.Name(request, dataset.Owner) },
            ["columns"] = access.Columns.Select(c => new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["name"] = c.Name,
                ["fieldName"] = c.FieldName,
                ["type"] = c.StorageType,
                ["nullable"] = c.Nullable,
                ["unit"] = c.Unit,
                ["sensitivity"] = c.Sensitivity.ToString(),
                ["description"] = c.Description,
            }).ToList(),
            ["keyColumns"] = info.KeyColumns,
            ["partitionColumns"] = info.PartitionColumns,
            ["version"] = info.Version,
            ["rowCount"] = info.RowCount,
            ["fileCount"] = info.FileCount,
            ["sizeBytes"] = info.SizeBytes,
            ["freshness"] = new Dictionary<string, object?>
            {
                ["lastCommit"] = clock.ToLocal(info.LastCommitTime),
                ["ageSeconds"] = Math.Max(0, (clock.Now - info.LastCommitTime).TotalSeconds),
            },
        };
    }

    private static async Task<object?> LineageAsync(ResolveContext context, ApiRequest request)
    {
        var dataset = (DatasetModel)((Dictionary<string, object?>)context.Parent!)["$dataset"]!;
        var limit = Math.Clamp(context.Argument<int?>("limit") ?? 20, 0, 1000);
        var info = await request.Get<Lake>().Catalog.GetAsync(dataset.Name, limit, context.CancellationToken).ConfigureAwait(false);
        var clock = request.Get<CityClock>();
        return info?.RecentLineage.Select(l => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["version"] = l.Version,
            ["time"] = clock.ToLocal(l.Timestamp),
            ["operation"] = l.Operation,
            ["source"] = l.Source,
            ["receipts"] = l.Receipts,
        }).ToList() ?? [];
    }

    private static async Task<object?> ReceiptsAsync(ResolveContext context, ApiRequest request)
    {
        var dataset = (DatasetModel)((Dictionary<string, object?>)context.Parent!)["$dataset"]!;
        var lake = request.Get<LakeQueries>();
        if (!lake.HasTable(ReceiptStore.TableName))
        {
            return Array.Empty<object>();
        }
        var sql = new SqlBuilder();
        sql.Append("SELECT receipt_id, source_kind, source, input, dataset, status, rows_read, rows_written, rows_rejected, rows_duplicate, table_version, message, started_at, finished_at FROM ")
            .Append(lake.Relation(ReceiptStore.TableName)).Append(" WHERE dataset = ").Append(sql.Param(dataset.Name))
            .Append(" ORDER BY finished_at DESC, receipt_id LIMIT ").Append(sql.Param((long)Math.Clamp(context.Argument<int?>("limit") ?? 20, 0, 10_000)));
        var rows = await lake.QueryAsync(sql.Build(), context.CancellationToken).ConfigureAwait(false);
        var clock = request.Get<CityClock>();
        return rows.Rows.Select(r =>
        {
            long L(int i) => Convert.ToInt64(r[i], CultureInfo.InvariantCulture);
            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["receiptId"] = r[0],
                ["sourceKind"] = r[1],
                ["source"] = r[2],
                ["input"] = r[3],
                ["dataset"] = r[4],
                ["status"] = r[5],
                ["rowsRead"] = L(6),
                ["rowsWritten"] = L(7),
                ["rowsRejected"] = L(8),
                ["rowsDuplicate"] = L(9),
                ["tableVersion"] = r[10],
                ["message"] = r[11],
                ["startedAt"] = RowValues.Convert(r[12], clock),
                ["finishedAt"] = RowValues.Convert(r[13], clock),
                ["reconciles"] = L(6) == L(7) + L(8) + L(9),
            };
        }).ToList();
    }

    private static List<Dictionary<string, object?>> WorkerHealth(ApiRequest request)
    {
        var metrics = request.Services.GetService<IngestMetrics>();
        var clock = request.Get<CityClock>();
        return metrics?.Workers.Select(w => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["worker"] = w.Name,
            ["kind"] = w.Kind,
            ["rowsRead"] = w.RowsRead,
            ["rowsWritten"] = w.RowsWritten,
            ["rowsRejected"] = w.RowsRejected,
            ["rowsDuplicate"] = w.RowsDuplicate,
            ["rejectionRate"] = w.RowsRead == 0 ? 0.0 : (double)w.RowsRejected / w.RowsRead,
            ["lagSeconds"] = w.LagSeconds,
            ["rowsPerSecond"] = w.RowsPerSecond,
            ["commits"] = w.Commits,
            ["lastCommit"] = w.LastCommit is { } t ? clock.ToLocal(t) : null,
            ["lastVersion"] = w.LastVersion,
        }).ToList() ?? [];
    }

    private static async Task<object?> SourceHealthAsync(ResolveContext context, ApiRequest request)
    {
        var lake = request.Get<LakeQueries>();
        if (!lake.HasTable(ReceiptStore.TableName))
        {
            return Array.Empty<object>();
        }
        var sql = new SqlBuilder();
        sql.Append("SELECT source, any_value(source_kind), count(*), count(*) FILTER (WHERE status = 'refused'), CAST(sum(rows_read) AS BIGINT), CAST(sum(rows_rejected) AS BIGINT), max(finished_at) FROM ")
            .Append(lake.Relation(ReceiptStore.TableName)).Append(" GROUP BY source ORDER BY source");
        var rows = await lake.QueryAsync(sql.Build(), context.CancellationToken).ConfigureAwait(false);
        var clock = request.Get<CityClock>();
        return rows.Rows.Select(r =>
        {
            var read = Convert.ToInt64(r[4] ?? 0L, CultureInfo.InvariantCulture);
            var rejected = Convert.ToInt64(r[5] ?? 0L, CultureInfo.InvariantCulture);
            var last = RowValues.Convert(r[6], clock) as DateTimeOffset?;
            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["source"] = r[0],
                ["sourceKind"] = r[1],
                ["inputs"] = Convert.ToInt64(r[2], CultureInfo.InvariantCulture),
                ["refused"] = Convert.ToInt64(r[3], CultureInfo.InvariantCulture),
                ["rowsRead"] = read,
                ["rowsRejected"] = rejected,
                ["rejectionRate"] = read == 0 ? 0.0 : (double)rejected / read,
                ["lastInputAt"] = last,
                ["lagSeconds"] = last is { } l ? Math.Max(0, (clock.Now - l).TotalSeconds) : null,
            };
        }).ToList();
    }
}
