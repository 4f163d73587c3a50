using System.Globalization;
using System.Text;
using System.Text.Json;
using OneMap.DuckDb;

namespace OneMap.Lakehouse.Delta;

/// <summary>Reads Parquet checkpoints through DuckDB: each row becomes JSON and is parsed like a commit line.</summary>
public sealed class DuckDbCheckpointReader(LakeEngine engine) : ICheckpointReader
{
    public IReadOnlyList<DeltaAction> Read(IReadOnlyList<string> checkpointPaths, CancellationToken cancellationToken)
    {
        var actions = new List<DeltaAction>();
        try
        {
            using var connection = engine.Connect();
            using var registration = cancellationToken.Register(connection.Interrupt);
            using var reader = connection.Query($"SELECT CAST(to_json(t) AS VARCHAR) FROM read_parquet({Sql.StringList(checkpointPaths)}) t");
            while (reader.Read())
            {
                using var document = JsonDocument.Parse(reader.GetString(0));
                if (ActionJson.ParseAction(document.RootElement) is { } action)
                {
                    actions.Add(action);
                }
            }
        }
        catch (DuckDbException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new CorruptLogException(checkpointPaths[0], $"the checkpoint cannot be read: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new CorruptLogException(checkpointPaths[0], $"a checkpoint row is not a valid action: {e.Message}", e);
        }
        return actions;
    }
}

/// <summary>
/// Writes classic (single-file, V1 spec) Parquet checkpoints with the checkpoint schema of the protocol, through
/// DuckDB: the snapshot's actions go to a hidden NDJSON file, DuckDB reads it with the checkpoint's struct types and
/// writes Parquet under a hidden name, which is then renamed into place, and <c>_last_checkpoint</c> is replaced.
/// </summary>
public static class CheckpointWriter
{
    private const string Columns =
        "{txn: 'STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)', " +
        "add: 'STRUCT(path VARCHAR, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR, tags MAP(VARCHAR, VARCHAR))', " +
        "remove: 'STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT)', " +
        "metaData: 'STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options MAP(VARCHAR, VARCHAR)), schemaString VARCHAR, partitionColumns VARCHAR[], configuration MAP(VARCHAR, VARCHAR), createdTime BIGINT)', " +
        "protocol: 'STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], writerFeatures VARCHAR[])', " +
        "domainMetadata: 'STRUCT(domain VARCHAR, configuration VARCHAR, removed BOOLEAN)'}";

    /// <summary>Writes the checkpoint of <paramref name="snapshot"/>; returns the number of actions it holds.</summary>
    public static long Write(LakeEngine engine, DeltaLogStore store, DeltaSnapshot snapshot, TimeSpan tombstoneRetention, CancellationToken cancellationToken)
    {
        var json = Path.Combine(store.LogDirectory, $".tmp-{Guid.NewGuid():N}.checkpoint.json");
        var parquet = Path.Combine(store.LogDirectory, $".tmp-{Guid.NewGuid():N}.checkpoint.parquet");
        try
        {
            var expiry = DateTimeOffset.UtcNow.Add(-tombstoneRetention).ToUnixTimeMilliseconds();
            var actions = new List<DeltaAction> { snapshot.Protocol, snapshot.Metadata };
            actions.AddRange(snapshot.AppTransactions.Values);
            actions.AddRange(snapshot.Domains.Values);
            actions.AddRange(snapshot.Files.Select(f => f with { DataChange = false }));
            actions.AddRange(snapshot.Tombstones.Values
                .Where(r => (r.DeletionTimestamp ?? 0) > expiry)
                .Select(r => r with { Stats = null, Tags = null }));
            File.WriteAllBytes(json, ActionJson.Serialize(actions));

            using (var connection = engine.Connect())
            using (cancellationToken.Register(connection.Interrupt))
            {
                connection.Execute(
                    $"COPY (SELECT txn, add, remove, metaData, protocol, domainMetadata FROM read_json({Sql.String(json)}, format = 'newline_delimited', columns = {Columns})) " +
                    $"TO {Sql.String(parquet)} (FORMAT parquet)");
            }
            File.Move(parquet, Path.Combine(store.LogDirectory, DeltaLogStore.CheckpointFileName(snapshot.Version)), overwrite: true);

            var last = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{{\"version\":{snapshot.Version},\"size\":{actions.Count},\"numOfAddFiles\":{snapshot.FileCount}}}")
                .ToString();
            store.WriteReplacing(DeltaLogStore.LastCheckpointFileName, Encoding.UTF8.GetBytes(last));
            return actions.Count;
        }
        catch (DuckDbException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new DataFileException($"checkpoint {snapshot.Version} of '{store.TableRoot}'", e.Message, e, isTransient: true);
        }
        finally
        {
            DeltaLogStore.TryDelete(json);
            DeltaLogStore.TryDelete(parquet);
        }
    }
}
