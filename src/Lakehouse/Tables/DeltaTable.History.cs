using System.Text.Json;
using System.Text.Json.Nodes;
using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

public sealed partial class DeltaTable
{
    /// <summary>The table's history, newest first (the commitInfo of each version still in the log).</summary>
    public Task<IReadOnlyList<HistoryEntry>> HistoryAsync(int? limit = null, CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        var versions = Log.List().Commits.Keys.Reverse();
        if (limit is { } n)
        {
            versions = versions.Take(n);
        }
        var entries = new List<HistoryEntry>();
        foreach (var version in versions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var actions = Log.ReadCommit(version);
            var info = actions.OfType<CommitInfo>().FirstOrDefault();
            var txn = actions.OfType<TransactionAction>().FirstOrDefault();
            entries.Add(new HistoryEntry
            {
                Version = version,
                Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(LogReplay.Timestamp(Log, version, info)),
                Operation = info?.Operation,
                OperationParameters = Strings(info?.OperationParameters),
                OperationMetrics = Strings(info?.OperationMetrics),
                ReadVersion = info?.ReadVersion,
                IsBlindAppend = info?.IsBlindAppend,
                UserMetadata = info?.Content["userMetadata"] is JsonValue user && user.TryGetValue<string>(out var text) ? text : null,
                Lineage = ParseLineage(info),
                EngineInfo = info?.EngineInfo,
                Transaction = txn is null ? null : (txn.AppId, txn.Version),
            });
        }
        return (IReadOnlyList<HistoryEntry>)entries;
    }, cancellationToken);

    private static Dictionary<string, string> Strings(JsonObject? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return result;
        }
        foreach (var (key, value) in node)
        {
            result[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "";
        }
        return result;
    }

    private static CommitLineage? ParseLineage(CommitInfo? info)
    {
        if (info?.Content[LineageKey] is not JsonObject lineage)
        {
            return null;
        }
        var receipts = lineage["receipts"] is JsonArray array
            ? array.Select(r => r?.GetValue<string>()).OfType<string>().ToList()
            : [];
        return new CommitLineage((string?)lineage["source"] ?? "", receipts);
    }
}
