namespace OneMap.GraphQL.Language;

/// <summary>The text of a GraphQL document with a lazily built line index, so offsets become line/column pairs.</summary>
public sealed class SourceText
{
    private int[]? _lineStarts;

    public SourceText(string body, string name = "GraphQL request")
    {
        Body = body ?? throw new ArgumentNullException(nameof(body));
        Name = name;
    }

    public string Body { get; }

    public string Name { get; }

    /// <summary>Line and column (1-based, columns in UTF-16 code units) of a character offset.</summary>
    public SourceLocation GetLocation(int offset)
    {
        var starts = _lineStarts ??= ComputeLineStarts(Body);
        var index = Array.BinarySearch(starts, offset);
        if (index < 0)
        {
            index = ~index - 1;
        }
        return new SourceLocation(index + 1, offset - starts[index] + 1);
    }

    private static int[] ComputeLineStarts(string body)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\r')
            {
                if (i + 1 < body.Length && body[i + 1] == '\n')
                {
                    i++;
                }
                starts.Add(i + 1);
            }
            else if (c == '\n')
            {
                starts.Add(i + 1);
            }
        }
        return [.. starts];
    }
}

/// <summary>Where a syntax node sits in its document: start and end offsets.</summary>
public sealed class NodeLocation(SourceText source, int startOffset, int endOffset)
{
    public SourceText Source { get; } = source;

    public int StartOffset { get; } = startOffset;

    public int EndOffset { get; } = endOffset;

    public SourceLocation Start => Source.GetLocation(StartOffset);
}
