namespace OneMap.GraphQL.Execution;

/// <summary>The response path of a field (§7.1.2 "path"): response keys and list indices from the root.</summary>
public sealed class ResultPath
{
    private ResultPath(ResultPath? parent, object key)
    {
        Parent = parent;
        Key = key;
    }

    internal ResultPath(ResultPath? parent, string key) : this(parent, (object)key)
    {
    }

    internal ResultPath(ResultPath? parent, int index) : this(parent, (object)index)
    {
    }

    public ResultPath? Parent { get; }

    /// <summary>A response key (string) or a list index (int).</summary>
    public object Key { get; }

    /// <summary>The path from the root as a list, the form errors carry.</summary>
    public IReadOnlyList<object> ToList()
    {
        var depth = 0;
        for (var p = this; p is not null; p = p.Parent)
        {
            depth++;
        }
        var items = new object[depth];
        for (var p = this; p is not null; p = p.Parent)
        {
            items[--depth] = p.Key;
        }
        return items;
    }

    public override string ToString() => string.Join(".", ToList());
}
