using System.Globalization;
using System.Text;

namespace OneMap.Lakehouse.Delta;

/// <summary>
/// Maps DuckDB type names (as DESCRIBE prints them, e.g. <c>STRUCT(xmin DOUBLE, ymin DOUBLE)</c> or
/// <c>DECIMAL(18,3)</c>) to the Delta type a column of that DuckDB type is stored as.
/// </summary>
public static class DuckDbTypeNames
{
    /// <summary>The Delta type for a DuckDB type, or throws <see cref="NotSupportedException"/> naming the type.</summary>
    public static DeltaType ToDelta(string duckDbType)
    {
        var parser = new Parser(duckDbType);
        var type = parser.ParseType();
        parser.ExpectEnd();
        return type;
    }

    private sealed class Parser(string text)
    {
        private int position;

        public DeltaType ParseType()
        {
            var name = Word().ToUpperInvariant();
            DeltaType type;
            switch (name)
            {
                case "STRUCT":
                    Expect('(');
                    var fields = new List<StructField>();
                    do
                    {
                        var fieldName = Identifier();
                        fields.Add(new StructField(fieldName, ParseType()));
                    }
                    while (TryConsume(','));
                    Expect(')');
                    type = new StructType(fields);
                    break;
                case "MAP":
                    Expect('(');
                    var key = ParseType();
                    Expect(',');
                    var value = ParseType();
                    Expect(')');
                    type = new MapType(key, value);
                    break;
                case "DECIMAL" or "NUMERIC":
                    var (precision, scale) = (18, 3);
                    if (TryConsume('('))
                    {
                        precision = Number();
                        scale = TryConsume(',') ? Number() : 0;
                        Expect(')');
                    }
                    type = new DecimalType(precision, scale);
                    break;
                case "TIMESTAMP":
                    type = TryWords("WITH", "TIME", "ZONE") ? DeltaType.Timestamp : DeltaType.TimestampNtz;
                    break;
                case "GEOMETRY":
                    if (TryConsume('('))
                    {
                        SkipBalanced();
                    }
                    type = DeltaType.Binary;
                    break;
                case "ENUM":
                    Expect('(');
                    SkipBalanced();
                    type = DeltaType.String;
                    break;
                default:
                    type = Simple(name);
                    break;
            }
            while (TryConsume('['))
            {
                // LIST (T[]) and fixed-size ARRAY (T[n]) both become Delta arrays.
                while (Peek() is >= '0' and <= '9')
                {
                    position++;
                }
                Expect(']');
                type = new ArrayType(type);
            }
            return type;
        }

        private DeltaType Simple(string name) => name switch
        {
            "BIGINT" or "INT8" or "LONG" or "UINTEGER" => DeltaType.Long,
            "INTEGER" or "INT4" or "INT" or "SIGNED" or "USMALLINT" => DeltaType.Integer,
            "SMALLINT" or "INT2" or "SHORT" or "UTINYINT" => DeltaType.Short,
            "TINYINT" or "INT1" => DeltaType.Byte,
            "UBIGINT" => new DecimalType(20, 0),
            "HUGEINT" or "UHUGEINT" => new DecimalType(38, 0),
            "DOUBLE" or "FLOAT8" => DeltaType.Double,
            "FLOAT" or "FLOAT4" or "REAL" => DeltaType.Float,
            "VARCHAR" or "STRING" or "TEXT" or "UUID" or "JSON" or "CHAR" or "BPCHAR" => DeltaType.String,
            "BLOB" or "BYTEA" or "BINARY" or "VARBINARY" => DeltaType.Binary,
            "BOOLEAN" or "BOOL" or "LOGICAL" => DeltaType.Boolean,
            "DATE" => DeltaType.Date,
            "TIMESTAMPTZ" => DeltaType.Timestamp,
            "TIMESTAMP_S" or "TIMESTAMP_MS" or "TIMESTAMP_NS" or "DATETIME" => DeltaType.TimestampNtz,
            _ => throw new NotSupportedException($"DuckDB type {text} has no Delta Lake equivalent"),
        };

        public void ExpectEnd()
        {
            SkipSpace();
            if (position != text.Length)
            {
                throw new FormatException($"unexpected '{text[position..]}' in DuckDB type {text}");
            }
        }

        private string Word()
        {
            SkipSpace();
            var start = position;
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
            {
                position++;
            }
            if (start == position)
            {
                throw new FormatException($"expected a type name at position {start} of DuckDB type {text}");
            }
            return text[start..position];
        }

        private string Identifier()
        {
            SkipSpace();
            if (Peek() != '"')
            {
                return Word();
            }
            position++;
            var builder = new StringBuilder();
            while (position < text.Length)
            {
                var c = text[position++];
                if (c == '"')
                {
                    if (Peek() == '"')
                    {
                        builder.Append('"');
                        position++;
                        continue;
                    }
                    return builder.ToString();
                }
                builder.Append(c);
            }
            throw new FormatException($"unterminated identifier in DuckDB type {text}");
        }

        private int Number()
        {
            SkipSpace();
            var start = position;
            while (Peek() is >= '0' and <= '9')
            {
                position++;
            }
            return int.Parse(text.AsSpan(start, position - start), CultureInfo.InvariantCulture);
        }

        private bool TryWords(params string[] words)
        {
            var saved = position;
            foreach (var word in words)
            {
                SkipSpace();
                var start = position;
                while (position < text.Length && char.IsLetter(text[position]))
                {
                    position++;
                }
                if (!string.Equals(text[start..position], word, StringComparison.OrdinalIgnoreCase))
                {
                    position = saved;
                    return false;
                }
            }
            return true;
        }

        private void SkipBalanced()
        {
            var depth = 1;
            var quote = '\0';
            while (position < text.Length && depth > 0)
            {
                var c = text[position++];
                if (quote != '\0')
                {
                    if (c == quote)
                    {
                        quote = '\0';
                    }
                }
                else if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c == '(')
                {
                    depth++;
                }
                else if (c == ')')
                {
                    depth--;
                }
            }
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw new FormatException($"expected '{c}' at position {position} of DuckDB type {text}");
            }
        }

        private bool TryConsume(char c)
        {
            SkipSpace();
            if (Peek() == c)
            {
                position++;
                return true;
            }
            return false;
        }

        private char Peek() => position < text.Length ? text[position] : '\0';

        private void SkipSpace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }
    }
}
