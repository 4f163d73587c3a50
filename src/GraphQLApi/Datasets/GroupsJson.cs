using System.Runtime.CompilerServices;
using System.Text;

using OneMap.DuckDb.Data;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>
/// An aggregate's <c>groups</c> written as JSON straight from the statement's result chunks: the selection is
/// planned once (response keys in selection order, each leaf bound to its result column and its scalar), then every
/// group is written without a value object, a dictionary or a completion step per field. The bytes are those the
/// GraphQL engine writes for the same groups (the tests compare both paths); a selection or value this writer does
/// not cover (<c>__typename</c>, administrative units, a value the engine would report as an error) takes the
/// general path instead.
/// </summary>
internal sealed class GroupsJson
{
    private readonly Node[] fields;

    private GroupsJson(Node[] fields)
    {
        this.fields = fields;
    }

    /// <summary>The plan for a <c>groups</c> selection, or null when it needs the general path.</summary>
    public static GroupsJson? Plan(SelectedField groups, IReadOnlyList<AggregateQuery.Key> keys, IReadOnlyList<AggregateQuery.Aggregate> aggregates)
    {
        var fields = new List<Node>();
        foreach (var field in groups.SelectedFields)
        {
            switch (field.Name)
            {
                case "__typename":
                    return null;
                case "key":
                    var keyFields = new List<Node>();
                    foreach (var keyField in field.SelectedFields)
                    {
                        // The general path reads a key by name from the group's key values: the first key of that name.
                        var key = keys.FirstOrDefault(k => KeyName(k) == keyField.Name);
                        if (keyField.Name == "__typename" || key?.Unit == true || keyField.Definition.Type.Named is not ScalarType keyScalar)
                        {
                            return null;
                        }
                        keyFields.Add(new Node(keyField.ResponseKey, key?.Alias, keyScalar, key?.Column?.Kind ?? ColumnKind.Timestamp, null));
                    }
                    fields.Add(new Node(field.ResponseKey, null, null, ColumnKind.Other, [.. keyFields]));
                    break;
                case "count":
                    if (field.Definition.Type.Named is not ScalarType countScalar)
                    {
                        return null;
                    }
                    fields.Add(new Node(field.ResponseKey, "c", countScalar, ColumnKind.Integer, null));
                    break;
                default:
                    var columns = new List<Node>();
                    foreach (var columnField in field.SelectedFields)
                    {
                        var aggregate = aggregates.FirstOrDefault(a => a.FunctionKey == field.ResponseKey && a.ColumnKey == columnField.ResponseKey);
                        if (aggregate is null || columnField.Definition.Type.Named is not ScalarType columnScalar)
                        {
                            return null;
                        }
                        columns.Add(new Node(columnField.ResponseKey, aggregate.Alias, columnScalar, aggregate.Column.Kind, null));
                    }
                    fields.Add(new Node(field.ResponseKey, null, null, ColumnKind.Other, [.. columns]));
                    break;
            }
        }
        return new GroupsJson([.. fields]);
    }

    /// <summary>
    /// Writes the groups of a result (the count in column <c>c</c>), leaving out those under <paramref name="minimum"/>
    /// rows; null when a value needs the general path.
    /// </summary>
    // Optimized from the first call (no tier-0 code): a fresh server's first large answers run these per-value loops
    // tens of thousands of times, where unoptimized code is several times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Written? Write(DuckDbDataReader reader, long minimum, CityClock clock, CancellationToken cancellationToken)
    {
        var ordinals = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => i, StringComparer.Ordinal);
        var leaves = new Dictionary<string, ColumnJson>(StringComparer.Ordinal);
        foreach (var leaf in fields.SelectMany(f => f.Children ?? [f]).Where(f => f.Alias is not null))
        {
            var ordinal = ordinals[leaf.Alias!];
            // One writer per column and scalar (aliases of one aggregate share a column).
            var id = leaf.Alias + "/" + leaf.Scalar!.Name;
            if (!leaves.TryGetValue(id, out var writer))
            {
                leaves[id] = writer = ColumnJson.ForField(ordinal, reader.GetColumnType(ordinal), leaf.Kind, leaf.Scalar, clock);
            }
            leaf.Writer = writer;
        }
        var countOrdinal = ordinals["c"];
        using var output = new JsonText();
        output.Raw((byte)'[');
        var groups = 0;
        var withheld = 0;
        try
        {
            while (reader.ReadChunk() is { } chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var writer in leaves.Values)
                {
                    writer.Bind(chunk);
                }
                var counts = chunk.GetColumn<long>(countOrdinal);
                for (var row = 0; row < chunk.RowCount; row++)
                {
                    if (counts[row] < minimum)
                    {
                        withheld++;
                        continue;
                    }
                    if (groups++ > 0)
                    {
                        output.Raw((byte)',');
                    }
                    WriteObject(output, fields, row);
                }
            }
        }
        catch (NotWritableException)
        {
            return null;
        }
        output.Raw((byte)']');
        return new Written(new SerializedValue(output.Written), groups, withheld);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteObject(JsonText output, Node[] nodes, int row)
    {
        output.Raw((byte)'{');
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            output.Raw(i == 0 ? node.Name : node.SeparatedName);
            if (node.Children is { } children)
            {
                WriteObject(output, children, row);
            }
            else if (node.Writer is { } writer)
            {
                writer.Write(output, row);
            }
            else
            {
                // A key the grouping does not have (e.g. bucket without timeBucket) reads as null.
                output.Null();
            }
        }
        output.Raw((byte)'}');
    }

    private static string KeyName(AggregateQuery.Key key) => key.Column?.FieldName ?? (key.Bucket ? "bucket" : "unit");

    /// <summary>The groups' JSON, how many were written, and how many were withheld for their size.</summary>
    public sealed record Written(SerializedValue Groups, int Count, int Withheld);

    /// <summary>A field of the selection: an object of fields, or a leaf read from a result column (none: null).</summary>
    private sealed class Node(string responseKey, string? alias, ScalarType? scalar, ColumnKind kind, Node[]? children)
    {
        // Response keys are GraphQL names ([_A-Za-z][_0-9A-Za-z]*): nothing to escape.
        public byte[] Name { get; } = Encoding.UTF8.GetBytes("\"" + responseKey + "\":");

        public byte[] SeparatedName { get; } = Encoding.UTF8.GetBytes(",\"" + responseKey + "\":");

        public string? Alias => alias;

        public ScalarType? Scalar => scalar;

        public ColumnKind Kind => kind;

        public Node[]? Children => children;

        public ColumnJson? Writer { get; set; }
    }
}
