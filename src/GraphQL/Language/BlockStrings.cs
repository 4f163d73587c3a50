using System.Text;

namespace OneMap.GraphQL.Language;

/// <summary>The block string algorithms: BlockStringValue (§2.9.5) and printing a value back as a block string.</summary>
public static class BlockStrings
{
    /// <summary>Removes the common indentation and the leading and trailing blank lines of a block string's raw value.</summary>
    public static string Dedent(string raw)
    {
        var lines = SplitLines(raw);
        var commonIndent = int.MaxValue;
        var firstNonBlank = -1;
        var lastNonBlank = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            var indent = LeadingWhiteSpace(lines[i]);
            if (indent == lines[i].Length)
            {
                continue;
            }
            if (firstNonBlank < 0)
            {
                firstNonBlank = i;
            }
            lastNonBlank = i;
            if (i != 0 && indent < commonIndent)
            {
                commonIndent = indent;
            }
        }
        if (firstNonBlank < 0)
        {
            return "";
        }
        var result = new StringBuilder();
        for (var i = firstNonBlank; i <= lastNonBlank; i++)
        {
            if (i > firstNonBlank)
            {
                result.Append('\n');
            }
            var line = lines[i];
            result.Append(i == 0 || commonIndent == int.MaxValue ? line : line.Length > commonIndent ? line[commonIndent..] : "");
        }
        return result.ToString();
    }

    /// <summary>
    /// True when <paramref name="value"/> survives a round trip through block string syntax (no control characters,
    /// no leading blank line, no trailing blank line, no indentation common to every line).
    /// </summary>
    public static bool IsPrintable(string value)
    {
        if (value.Length == 0)
        {
            return true;
        }
        var lineIsBlank = true;
        var lineIndented = false;
        var everyLineIndented = true;
        var sawNewLine = false;
        foreach (var c in value)
        {
            switch (c)
            {
                case '\n':
                    if (lineIsBlank && !sawNewLine)
                    {
                        return false;
                    }
                    sawNewLine = true;
                    lineIsBlank = true;
                    lineIndented = false;
                    break;
                case '\t':
                case ' ':
                    lineIndented |= lineIsBlank;
                    break;
                case '\r':
                    return false;
                default:
                    if (c < 0x20)
                    {
                        return false;
                    }
                    everyLineIndented &= lineIndented;
                    lineIsBlank = false;
                    break;
            }
        }
        if (lineIsBlank)
        {
            return false;
        }
        return !(everyLineIndented && sawNewLine);
    }

    /// <summary>Prints <paramref name="value"/> as a block string literal, breaking lines where that reads better.</summary>
    public static string Print(string value, bool minimize = false)
    {
        var escaped = value.Replace("\"\"\"", "\\\"\"\"", StringComparison.Ordinal);
        var lines = SplitLines(escaped);
        var singleLine = lines.Count == 1;
        var forceLeadingNewLine = lines.Count > 1 && lines.Skip(1).All(l => l.Length == 0 || l[0] is ' ' or '\t');
        var endsWithEscapedQuotes = escaped.EndsWith("\\\"\"\"", StringComparison.Ordinal);
        var forceTrailingNewLine = (value.EndsWith('"') && !endsWithEscapedQuotes) || value.EndsWith('\\');
        var multipleLines = !minimize
            && (!singleLine || value.Length > 70 || forceTrailingNewLine || forceLeadingNewLine || endsWithEscapedQuotes);
        var skipLeadingNewLine = singleLine && value.Length > 0 && value[0] is ' ' or '\t';
        var result = new StringBuilder("\"\"\"");
        if ((multipleLines && !skipLeadingNewLine) || forceLeadingNewLine)
        {
            result.Append('\n');
        }
        result.Append(escaped);
        if (multipleLines || forceTrailingNewLine)
        {
            result.Append('\n');
        }
        return result.Append("\"\"\"").ToString();
    }

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || text[i] == '\r')
            {
                lines.Add(text[start..i]);
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                start = i + 1;
            }
        }
        lines.Add(text[start..]);
        return lines;
    }

    private static int LeadingWhiteSpace(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] is ' ' or '\t')
        {
            i++;
        }
        return i;
    }
}
