using System.Runtime.CompilerServices;
using System.Threading.Channels;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Protection;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Tests.Docs;

// This file is the example of docs/graphql-engine.md ("A schema from a catalog"); keep the two in step.

/// <summary>A table of the catalog: the API generates one GraphQL type per table at run time.</summary>
public sealed record CatalogTable(string Name, string TypeName, string Description, IReadOnlyList<CatalogColumn> Columns);

/// <summary>A column and its GraphQL type.</summary>
public sealed record CatalogColumn(string Name, string GraphQLType, string? Description = null, bool Personal = false);

/// <summary>Stands in for the lakehouse: rows per table, and the columns each query asked for.</summary>
public sealed class FakeLake
{
    public Dictionary<string, List<Dictionary<string, object?>>> Tables { get; } = new()
    {
        ["stations"] =
        [
            new() { ["code"] = "MLR-01", ["name"] = "Mulan River Bridge", ["operator_phone"] = "13800000000" },
            new() { ["code"] = "MLR-02", ["name"] = "Estuary", ["operator_phone"] = "13900000000" },
        ],
        ["readings"] =
        [
            new() { ["station"] = "MLR-01", ["parameter"] = "do", ["value"] = 7.5 },
            new() { ["station"] = "MLR-01", ["parameter"] = "do", ["value"] = 4.2 },
            new() { ["station"] = "MLR-02", ["parameter"] = "nh3_n", ["value"] = 1.1 },
        ],
    };

    public List<string> Log { get; } = [];

    public IEnumerable<Dictionary<string, object?>> Select(string table, IEnumerable<string> columns, int limit)
    {
        Log.Add($"SELECT {string.Join(", ", columns)} FROM {table} LIMIT {limit}");
        return Tables[table].Take(limit);
    }

    public ILookup<string, Dictionary<string, object?>> ReadingsOf(IReadOnlyList<string> stations)
    {
        Log.Add($"SELECT * FROM readings WHERE station IN ({string.Join(", ", stations)})");
        return Tables["readings"].Where(r => stations.Contains((string)r["station"]!)).ToLookup(r => (string)r["station"]!);
    }
}

public static class DocumentedExample
{
    public static IReadOnlyList<CatalogTable> Catalog { get; } =
    [
        new("stations", "Station", "Water-quality monitoring stations.",
            [new("code", "ID!", "Station code"), new("name", "String!"), new("operator_phone", "String", "Operator's phone", Personal: true)]),
        new("readings", "Reading", "Measured values.",
            [new("station", "ID!"), new("parameter", "String!"), new("value", "Float")]),
    ];

    public static Schema BuildSchema(FakeLake lake, Channel<Dictionary<string, object?>> alerts)
    {
        var builder = new SchemaBuilder().Description("OneMap example schema, generated from a catalog.");
        foreach (var table in Catalog)
        {
            builder.Object(table.TypeName, type =>
            {
                type.Description(table.Description).Metadata("table", table.Name);
                foreach (var column in table.Columns)
                {
                    type.Field(column.Name, column.GraphQLType, f => f.Description(column.Description).Metadata("personal", column.Personal));
                }
            });
            builder.Query(query => query.Field(table.Name, $"[{table.TypeName}!]!", f => f
                .Description($"Rows of {table.Name}.")
                .Argument("limit", "Int", 100, "At most this many rows.")
                .Cost(1, "limit")
                .Resolve(context =>
                {
                    // Only the columns the client selected reach the query.
                    var columns = context.SelectedFields.Where(s => s.Definition.Metadata.ContainsKey("personal")).Select(s => s.Name);
                    return lake.Select(table.Name, columns, context.Argument<int>("limit"));
                })));
        }
        // A relation: readings per station, batched so that N stations cost one query.
        builder.Object("Station", type => type.Field("readings", "[Reading!]!", f => f.ResolveAsync(async context =>
        {
            var loader = context.BatchLoader<string, IReadOnlyList<Dictionary<string, object?>>>("readings-by-station", (codes, _) =>
            {
                var found = lake.ReadingsOf(codes);
                return ValueTask.FromResult<IReadOnlyDictionary<string, IReadOnlyList<Dictionary<string, object?>>>>(
                    codes.ToDictionary(c => c, c => (IReadOnlyList<Dictionary<string, object?>>)found[c].ToList()));
            });
            var station = (Dictionary<string, object?>)context.Parent!;
            return await loader.LoadAsync((string)station["code"]!);
        })));
        // Alerts pushed to subscribers as they happen.
        builder.Object("Alert", type => type.Field("station", "ID!").Field("message", "String!"));
        builder.Subscription(subscription => subscription.Field("alerts", "Alert!", f => f
            .Description("Alerts as they are raised.")
            .Subscribe(context => Read(alerts.Reader, context.CancellationToken))));
        return builder.Build();
    }

    /// <summary>What a role without access to personal data sees: the same schema without personal columns.</summary>
    public static Schema WithoutPersonalData(Schema schema) => schema.Filter(new SchemaFilter
    {
        Fields = (_, field) => field.Metadata.GetValueOrDefault("personal") is not true,
    });

    public static RequestLimits Limits { get; } = RequestLimits.Default with { MaxCost = 20_000, Timeout = TimeSpan.FromSeconds(10) };

    private static async IAsyncEnumerable<object?> Read(ChannelReader<Dictionary<string, object?>> reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var alert in reader.ReadAllAsync(cancellationToken))
        {
            yield return alert;
        }
    }
}
