using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Schema;

namespace OneMap.GraphQLApi.Catalog;

/// <summary>Department names by code, read from the <c>departments</c> dataset (public data) and re-read when it changes.</summary>
public sealed class Departments(LakeQueries lake)
{
    public const string Dataset = "departments";

    private volatile Snapshot? current;

    /// <summary>The name of a department, or null when unknown or the dataset is not in the lake.</summary>
    public static string? Name(ApiRequest request, string? code) => code is null ? null : request.Get<Departments>().NameOf(code);

    public string? NameOf(string code)
    {
        var version = lake.CurrentVersion(Dataset);
        if (version is null)
        {
            return null;
        }
        var snapshot = current;
        if (snapshot is null || snapshot.Version != version)
        {
            var rows = lake.QueryAsync(new SqlCommand($"SELECT CAST(code AS VARCHAR), CAST(name AS VARCHAR) FROM {lake.Relation(Dataset)}", []), CancellationToken.None)
                .GetAwaiter().GetResult();
            snapshot = new Snapshot(version.Value, rows.Rows.Where(r => r[0] is string).GroupBy(r => (string)r[0]!).ToDictionary(g => g.Key, g => g.First()[1] as string, StringComparer.Ordinal));
            current = snapshot;
        }
        return snapshot.Names.GetValueOrDefault(code);
    }

    private sealed record Snapshot(long Version, Dictionary<string, string?> Names);
}
