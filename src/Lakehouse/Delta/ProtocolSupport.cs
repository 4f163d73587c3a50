namespace OneMap.Lakehouse.Delta;

/// <summary>
/// Which protocol versions and table features OneMap reads and writes, and the checks that refuse the rest with a
/// clear error instead of returning wrong rows or writing a table other engines would consider broken.
/// </summary>
public static class ProtocolSupport
{
    /// <summary>The protocol OneMap writes for new tables: reader 1 / writer 2 (reader 2 / writer 5 with column mapping).</summary>
    public static ProtocolAction ForNewTable(bool columnMapping) => columnMapping ? new ProtocolAction(2, 5) : new ProtocolAction(1, 2);

    private static readonly HashSet<string> ReadFeatures = ["columnMapping", "timestampNtz", "vacuumProtocolCheck", "deletionVectors"];

    private static readonly HashSet<string> WriteFeatures =
        ["appendOnly", "invariants", "columnMapping", "timestampNtz", "vacuumProtocolCheck", "domainMetadata", "checkConstraints", "changeDataFeed", "generatedColumns"];

    public static void EnsureReadable(DeltaSnapshot snapshot, string table)
    {
        var protocol = snapshot.Protocol;
        if (protocol.MinReaderVersion > 3)
        {
            throw new UnsupportedTableFeatureException(table, $"reader version {protocol.MinReaderVersion}", "OneMap reads Delta reader versions 1 to 3");
        }
        if (protocol.MinReaderVersion == 3)
        {
            foreach (var feature in protocol.ReaderFeatures ?? [])
            {
                if (!ReadFeatures.Contains(feature))
                {
                    throw new UnsupportedTableFeatureException(table, feature, "this reader table feature is not implemented");
                }
            }
        }
        if (snapshot.ColumnMapping == ColumnMappingMode.Id)
        {
            throw new UnsupportedTableFeatureException(table, "columnMapping (id mode)", "only name-mode column mapping is implemented");
        }
        if (snapshot.Metadata.FormatProvider != "parquet")
        {
            throw new UnsupportedTableFeatureException(table, $"format {snapshot.Metadata.FormatProvider}", "data files must be Parquet");
        }
        foreach (var file in snapshot.Files)
        {
            if (file.DeletionVector is not null)
            {
                throw new UnsupportedTableFeatureException(table, "deletionVectors", $"file '{file.Path}' has soft-deleted rows");
            }
        }
    }

    public static void EnsureWritable(DeltaSnapshot snapshot, string table)
    {
        EnsureReadable(snapshot, table);
        var protocol = snapshot.Protocol;
        var metadata = snapshot.Metadata;
        if (protocol.MinWriterVersion is > 7 or 6)
        {
            throw new UnsupportedTableFeatureException(table, $"writer version {protocol.MinWriterVersion}", "OneMap writes Delta writer versions 2 to 5 and 7");
        }
        if (protocol.MinWriterVersion == 7)
        {
            foreach (var feature in protocol.WriterFeatures ?? [])
            {
                if (!WriteFeatures.Contains(feature))
                {
                    throw new UnsupportedTableFeatureException(table, feature, "this writer table feature is not implemented");
                }
            }
        }
        if (metadata.Configuration.Keys.FirstOrDefault(k => k.StartsWith("delta.constraints.", StringComparison.Ordinal)) is { } constraint)
        {
            throw new UnsupportedTableFeatureException(table, "checkConstraints", $"CHECK constraint '{constraint}' would not be enforced");
        }
        if (string.Equals(metadata.Property(TableProperties.EnableChangeDataFeed), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedTableFeatureException(table, "changeDataFeed", "change data files are not written");
        }
        foreach (var field in snapshot.Schema.Fields)
        {
            foreach (var key in field.Metadata.Keys)
            {
                if (key is "delta.invariants" or "delta.generationExpression" || key.StartsWith("delta.identity.", StringComparison.Ordinal))
                {
                    throw new UnsupportedTableFeatureException(table, key, $"column '{field.Name}' uses it and OneMap would not enforce it");
                }
            }
        }
    }

    /// <summary>True when <c>delta.appendOnly</c> forbids removing data.</summary>
    public static bool IsAppendOnly(DeltaSnapshot snapshot) =>
        string.Equals(snapshot.Metadata.Property(TableProperties.AppendOnly), "true", StringComparison.OrdinalIgnoreCase);
}
