using System.Collections.Concurrent;

using Microsoft.Extensions.Logging;

using OneMap.GraphQL;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Security;

using GraphQLSchema = OneMap.GraphQL.Types.Schema;

namespace OneMap.GraphQLApi.Schema;

/// <summary>A built schema and the datasets it was generated from.</summary>
public sealed record SchemaGeneration(GraphQLSchema Schema, DatasetSet Datasets);

/// <summary>
/// The API's schema: generated from the catalog (one set of types and fields per dataset) plus the curated features,
/// rebuilt whenever the catalog changes, and filtered per caller so that a role's introspection and validation see
/// only what it may query.
/// </summary>
public sealed class ApiSchema
{
    private readonly IReadOnlyList<ISchemaContributor> contributors;
    private readonly AccessPolicy policy;
    private readonly ILogger<ApiSchema> logger;
    private readonly ConcurrentDictionary<(long, ApiRole, string?), GraphQLSchema> filtered = new();
    private volatile SchemaGeneration current;

    public ApiSchema(DatasetRegistry registry, IEnumerable<ISchemaContributor> contributors, AccessPolicy policy, ILogger<ApiSchema> logger)
    {
        this.contributors = contributors.ToList();
        this.policy = policy;
        this.logger = logger;
        current = new SchemaGeneration(Build(registry.Current), registry.Current);
        registry.Changed += Rebuild;
    }

    public SchemaGeneration Current => current;

    /// <summary>Raised after a new generation is in place.</summary>
    public event Action<SchemaGeneration>? Rebuilt;

    /// <summary>The schema as a caller may see it.</summary>
    public GraphQLSchema For(Caller caller, SchemaGeneration generation) =>
        filtered.GetOrAdd((generation.Datasets.Generation, caller.Role, caller.Role == ApiRole.Department ? caller.Department : null),
            _ => generation.Schema.Filter(FilterFor(caller, generation.Datasets)));

    public GraphQLSchema Build(DatasetSet datasets)
    {
        var builder = new SchemaBuilder().Description(
            "OneMap: every dataset of the city's lake (generated from the catalog), and the city's questions: stations, manholes, tickets, grids, alerts.");
        CommonTypes.Add(builder);
        foreach (var dataset in datasets.Datasets)
        {
            DatasetTypes.Add(builder, dataset);
        }
        foreach (var contributor in contributors)
        {
            contributor.Contribute(builder, datasets);
        }
        return builder.Build();
    }

    private void Rebuild(DatasetSet datasets)
    {
        try
        {
            var generation = new SchemaGeneration(Build(datasets), datasets);
            current = generation;
            foreach (var key in filtered.Keys.Where(k => k.Item1 < datasets.Generation))
            {
                filtered.TryRemove(key, out _);
            }
            Rebuilt?.Invoke(generation);
        }
        catch (SchemaException e)
        {
            Log.SchemaFailed(logger, datasets.Generation, e.Message, e);
        }
    }

    private SchemaFilter FilterFor(Caller caller, DatasetSet datasets)
    {
        bool Allowed(IReadOnlyDictionary<string, object?> metadata)
        {
            if (metadata.Count == 0)
            {
                return true;
            }
            if (metadata.GetValueOrDefault(SchemaMetadata.MinRole) is ApiRole role && caller.Role < role)
            {
                return false;
            }
            if (metadata.GetValueOrDefault(SchemaMetadata.Column) is ColumnRef column)
            {
                var dataset = datasets[column.Dataset];
                if (dataset is null || !policy.For(caller, dataset).CanSee(column.Column))
                {
                    return false;
                }
            }
            if (metadata.GetValueOrDefault(SchemaMetadata.Dataset) is DatasetField field)
            {
                var dataset = datasets[field.Dataset];
                if (dataset is null || (field.Use != DatasetUse.Aggregate && !policy.For(caller, dataset).CanReadRows))
                {
                    return false;
                }
            }
            if (metadata.GetValueOrDefault(SchemaMetadata.Reads) is IEnumerable<string> reads
                && reads.Any(name => datasets[name] is not { } d || !policy.For(caller, d).CanReadRows))
            {
                return false;
            }
            if (metadata.GetValueOrDefault(SchemaMetadata.Aggregates) is IEnumerable<string> aggregates && aggregates.Any(name => datasets[name] is null))
            {
                return false;
            }
            return true;
        }

        return new SchemaFilter
        {
            Fields = (_, f) => Allowed(f.Metadata),
            Arguments = (_, a) => Allowed(a.Metadata),
            InputFields = (_, f) => Allowed(f.Metadata),
            EnumValues = (_, v) => Allowed(v.Metadata),
        };
    }
}
