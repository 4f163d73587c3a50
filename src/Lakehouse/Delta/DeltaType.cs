using System.Globalization;

namespace OneMap.Lakehouse.Delta;

/// <summary>A Delta Lake data type (the schema serialization format of the Delta protocol, Spark's JSON schema).</summary>
public abstract record DeltaType
{
    public static readonly PrimitiveType String = new("string");
    public static readonly PrimitiveType Long = new("long");
    public static readonly PrimitiveType Integer = new("integer");
    public static readonly PrimitiveType Short = new("short");
    public static readonly PrimitiveType Byte = new("byte");
    public static readonly PrimitiveType Float = new("float");
    public static readonly PrimitiveType Double = new("double");
    public static readonly PrimitiveType Boolean = new("boolean");
    public static readonly PrimitiveType Binary = new("binary");
    public static readonly PrimitiveType Date = new("date");

    /// <summary>An instant (microseconds since the epoch, UTC); DuckDB's TIMESTAMP WITH TIME ZONE.</summary>
    public static readonly PrimitiveType Timestamp = new("timestamp");

    /// <summary>A wall-clock time without zone; needs the <c>timestampNtz</c> table feature.</summary>
    public static readonly PrimitiveType TimestampNtz = new("timestamp_ntz");

    public static readonly PrimitiveType Void = new("void");

    /// <summary>The DuckDB SQL type the values of this type are read and written as.</summary>
    public abstract string ToDuckDbType();

    /// <summary>True for types whose values can be partition values and carry min/max statistics.</summary>
    public virtual bool IsPrimitive => false;

    /// <summary>Parses the primitive type names of the protocol, including <c>decimal(p,s)</c>.</summary>
    public static DeltaType ParsePrimitive(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.StartsWith("decimal", StringComparison.OrdinalIgnoreCase))
        {
            var open = trimmed.IndexOf('(', StringComparison.Ordinal);
            if (open < 0)
            {
                return new DecimalType(10, 0);
            }
            var parts = trimmed[(open + 1)..trimmed.IndexOf(')', StringComparison.Ordinal)].Split(',');
            return new DecimalType(
                int.Parse(parts[0], CultureInfo.InvariantCulture),
                parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0);
        }
        return trimmed switch
        {
            "string" => String,
            "long" => Long,
            "integer" => Integer,
            "short" => Short,
            "byte" => Byte,
            "float" => Float,
            "double" => Double,
            "boolean" => Boolean,
            "binary" => Binary,
            "date" => Date,
            "timestamp" => Timestamp,
            "timestamp_ntz" => TimestampNtz,
            "void" => Void,
            _ => throw new FormatException($"unknown Delta primitive type '{name}'"),
        };
    }
}

/// <summary>A primitive Delta type such as <c>long</c> or <c>string</c>.</summary>
public sealed record PrimitiveType(string Name) : DeltaType
{
    public override bool IsPrimitive => true;

    public override string ToDuckDbType() => Name switch
    {
        "string" => "VARCHAR",
        "long" => "BIGINT",
        "integer" => "INTEGER",
        "short" => "SMALLINT",
        "byte" => "TINYINT",
        "float" => "FLOAT",
        "double" => "DOUBLE",
        "boolean" => "BOOLEAN",
        "binary" => "BLOB",
        "date" => "DATE",
        "timestamp" => "TIMESTAMP WITH TIME ZONE",
        "timestamp_ntz" => "TIMESTAMP",
        "void" => "INTEGER",
        _ => throw new InvalidOperationException($"no DuckDB type for Delta type '{Name}'"),
    };

    public override string ToString() => Name;
}

/// <summary>A fixed-point decimal with the given precision and scale (both at most 38).</summary>
public sealed record DecimalType(int Precision, int Scale) : DeltaType
{
    public override bool IsPrimitive => true;

    public override string ToDuckDbType() => string.Create(CultureInfo.InvariantCulture, $"DECIMAL({Precision},{Scale})");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"decimal({Precision},{Scale})");
}

/// <summary>A list of values of one type.</summary>
public sealed record ArrayType(DeltaType ElementType, bool ContainsNull = true) : DeltaType
{
    public override string ToDuckDbType() => ElementType.ToDuckDbType() + "[]";
}

/// <summary>A map from keys of one type to values of another.</summary>
public sealed record MapType(DeltaType KeyType, DeltaType ValueType, bool ValueContainsNull = true) : DeltaType
{
    public override string ToDuckDbType() => $"MAP({KeyType.ToDuckDbType()}, {ValueType.ToDuckDbType()})";
}
