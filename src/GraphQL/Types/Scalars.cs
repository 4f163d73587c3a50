using System.Globalization;
using System.Text.Json;
using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Types;

/// <summary>The specification's built-in scalars (§3.5) and the engine's <c>JSON</c> scalar.</summary>
public static class Scalars
{
    public static ScalarType Int { get; } = new IntScalar();

    public static ScalarType Float { get; } = new FloatScalar();

    public static ScalarType String { get; } = new StringScalar();

    public static ScalarType Boolean { get; } = new BooleanScalar();

    public static ScalarType ID { get; } = new IdScalar();

    /// <summary>Any JSON value, passed through as is (objects, arrays, numbers, strings, booleans).</summary>
    public static ScalarType Json { get; } = new JsonScalar();

    /// <summary>
    /// A date and time as an RFC 3339 string (<c>2024-05-01T08:30:00+08:00</c>); internal values are
    /// <see cref="DateTimeOffset"/> (also accepted: <see cref="DateTime"/>, <see cref="DateOnly"/>).
    /// </summary>
    public static ScalarType DateTime { get; } = new DateTimeScalar();

    /// <summary>The five scalars every schema has.</summary>
    public static IReadOnlyList<ScalarType> BuiltIn { get; } = [String, Int, Float, Boolean, ID];

    public static bool IsBuiltIn(string name) => name is "String" or "Int" or "Float" or "Boolean" or "ID";

    internal static string Show(object? value) => value switch
    {
        null => "null",
        string s => Printer.PrintString(s),
        bool b => b ? "true" : "false",
        double d => JsNumber.Format(d),
        float f => JsNumber.Format(f),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        JsonElement element => element.GetRawText(),
        System.Collections.IDictionary => "an object",
        IReadOnlyDictionary<string, object?> => "an object",
        System.Collections.IEnumerable => "a list",
        _ => value.ToString() ?? value.GetType().Name,
    };

    /// <summary>A CLR number as a double, or null when <paramref name="value"/> is not a number.</summary>
    internal static double? AsNumber(object value) => value switch
    {
        int i => i,
        long l => l,
        double d => d,
        float f => f,
        decimal m => (double)m,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint ui => ui,
        ulong ul => ul,
        _ => null,
    };

    private sealed class IntScalar : ScalarType
    {
        public IntScalar() : base("Int", "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1.")
        {
            IsBuiltIn = true;
        }

        public override object? Serialize(object value)
        {
            switch (value)
            {
                case int i:
                    return i;
                case bool b:
                    return b ? 1 : 0;
                case string s:
                    if (JsNumber.TryParse(s, out var parsed))
                    {
                        return FromNumber(parsed, value);
                    }
                    throw new ValueCoercionException($"Int cannot represent non-integer value: {Show(value)}");
            }
            if (AsNumber(value) is { } number)
            {
                return FromNumber(number, value);
            }
            throw new ValueCoercionException($"Int cannot represent non-integer value: {Show(value)}");
        }

        private static int FromNumber(double number, object original)
        {
            if (!double.IsFinite(number) || Math.Floor(number) != number)
            {
                throw new ValueCoercionException($"Int cannot represent non-integer value: {Show(original)}");
            }
            if (number is > int.MaxValue or < int.MinValue)
            {
                throw new ValueCoercionException($"Int cannot represent non 32-bit signed integer value: {Show(original)}");
            }
            return (int)number;
        }

        public override object? ParseValue(object value)
        {
            if (value is int i)
            {
                return i;
            }
            if (value is not bool && value is not string && AsNumber(value) is { } number)
            {
                return FromNumber(number, value);
            }
            throw new ValueCoercionException($"Int cannot represent non-integer value: {Show(value)}");
        }

        public override object? ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables = null)
        {
            if (literal is not IntValueNode intValue)
            {
                throw new ValueCoercionException($"Int cannot represent non-integer value: {Printer.Print(literal)}");
            }
            if (!int.TryParse(intValue.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result))
            {
                throw new ValueCoercionException($"Int cannot represent non 32-bit signed integer value: {intValue.Value}");
            }
            return result;
        }

        public override ValueNode? ToLiteral(object value) => new IntValueNode(((int)Serialize(value)!).ToString(CultureInfo.InvariantCulture));
    }

    private sealed class FloatScalar : ScalarType
    {
        public FloatScalar() : base("Float", "The `Float` scalar type represents signed double-precision fractional values as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point).")
        {
            IsBuiltIn = true;
        }

        public override object? Serialize(object value)
        {
            if (value is double d && double.IsFinite(d))
            {
                // Already a finite double: hand back the same box instead of boxing a copy.
                return value;
            }
            var number = value switch
            {
                bool b => b ? 1 : 0,
                string s when JsNumber.TryParse(s, out var parsed) => parsed,
                string => throw new ValueCoercionException($"Float cannot represent non numeric value: {Show(value)}"),
                _ => AsNumber(value) ?? throw new ValueCoercionException($"Float cannot represent non numeric value: {Show(value)}"),
            };
            if (!double.IsFinite(number))
            {
                throw new ValueCoercionException($"Float cannot represent non numeric value: {Show(value)}");
            }
            return number;
        }

        public override object? ParseValue(object value)
        {
            if (value is not bool && value is not string && AsNumber(value) is { } number && double.IsFinite(number))
            {
                return number;
            }
            throw new ValueCoercionException($"Float cannot represent non numeric value: {Show(value)}");
        }

        public override object? ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables = null) => literal switch
        {
            IntValueNode i => double.Parse(i.Value, CultureInfo.InvariantCulture),
            FloatValueNode f => double.Parse(f.Value, CultureInfo.InvariantCulture),
            _ => throw new ValueCoercionException($"Float cannot represent non numeric value: {Printer.Print(literal)}"),
        };

        public override ValueNode? ToLiteral(object value) => JsNumber.ToLiteral((double)Serialize(value)!);
    }

    private sealed class StringScalar : ScalarType
    {
        public StringScalar() : base("String", "The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text.")
        {
            IsBuiltIn = true;
        }

        public override object? Serialize(object value) => value switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            char c => c.ToString(),
            double d when double.IsFinite(d) => JsNumber.Format(d),
            float f when float.IsFinite(f) => JsNumber.Format(f),
            Enum e => e.ToString(),
            Guid g => g.ToString(),
            _ when value is not double and not float && AsNumber(value) is not null => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
            _ => throw new ValueCoercionException($"String cannot represent value: {Show(value)}"),
        };

        public override object? ParseValue(object value) =>
            value as string ?? throw new ValueCoercionException($"String cannot represent a non string value: {Show(value)}");

        public override object? ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables = null) =>
            literal is StringValueNode s ? s.Value : throw new ValueCoercionException($"String cannot represent a non string value: {Printer.Print(literal)}");

        public override ValueNode? ToLiteral(object value) => new StringValueNode((string)Serialize(value)!);
    }

    private sealed class BooleanScalar : ScalarType
    {
        public BooleanScalar() : base("Boolean", "The `Boolean` scalar type represents `true` or `false`.")
        {
            IsBuiltIn = true;
        }

        public override object? Serialize(object value)
        {
            if (value is bool b)
            {
                return b;
            }
            if (value is not string && AsNumber(value) is { } number && double.IsFinite(number))
            {
                return number != 0;
            }
            throw new ValueCoercionException($"Boolean cannot represent a non boolean value: {Show(value)}");
        }

        public override object? ParseValue(object value) =>
            value is bool b ? b : throw new ValueCoercionException($"Boolean cannot represent a non boolean value: {Show(value)}");

        public override object? ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables = null) =>
            literal is BooleanValueNode b ? b.Value : throw new ValueCoercionException($"Boolean cannot represent a non boolean value: {Printer.Print(literal)}");

        public override ValueNode? ToLiteral(object value) => new BooleanValueNode((bool)Serialize(value)!);
    }

    private sealed class IdScalar : ScalarType
    {
        public IdScalar() : base("ID", "The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. The ID type appears in a JSON response as a String; however, it is not intended to be human-readable. When expected as an input type, any string (such as `\"4\"`) or integer (such as `4`) input value will be accepted as an ID.")
        {
            IsBuiltIn = true;
        }

        public override object? Serialize(object value)
        {
            switch (value)
            {
                case string s:
                    return s;
                case Guid g:
                    return g.ToString();
                case bool:
                    break;
                default:
                    if (AsNumber(value) is { } number && double.IsFinite(number) && Math.Floor(number) == number)
                    {
                        return value is double or float ? JsNumber.Format(number) : ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture);
                    }
                    break;
            }
            throw new ValueCoercionException($"ID cannot represent value: {Show(value)}");
        }

        public override object? ParseValue(object value)
        {
            if (value is string s)
            {
                return s;
            }
            if (value is not bool && AsNumber(value) is { } number && double.IsFinite(number) && Math.Floor(number) == number)
            {
                return value is double or float ? JsNumber.Format(number) : ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture);
            }
            throw new ValueCoercionException($"ID cannot represent value: {Show(value)}");
        }

        public override object? ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables = null) => literal switch
        {
            StringValueNode s => s.Value,
            IntValueNode i => i.Value,
            _ => throw new ValueCoercionException($"ID cannot represent a non-string and non-integer value: {Printer.Print(literal)}"),
        };

        public override ValueNode? ToLiteral(object value)
        {
            var id = (string)Serialize(value)!;
            // An ID that looks like an integer prints as one, as clients would write it.
            return IsIntegerText(id) ? new IntValueNode(id) : new StringValueNode(id);
        }

        private static bool IsIntegerText(string text)
        {
            var span = text.AsSpan();
            if (span.StartsWith("-"))
            {
                span = span[1..];
            }
            if (span.Length == 0 || (span[0] == '0' && span.Length > 1))
            {
                return false;
            }
            foreach (var c in span)
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }
            }
            return true;
        }
    }

    private sealed class JsonScalar : ScalarType
    {
        public JsonScalar() : base("JSON", "Any JSON value: an object, an array, a string, a number, a boolean or null.")
        {
        }

        public override object? Serialize(object value) => value;

        public override object? ParseValue(object value) => value is JsonElement element ? JsonValues.ToPlain(element) : value;

        public override object? ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables = null) =>
            ValueLiterals.ToPlainValue(literal, variables);

        public override ValueNode? ToLiteral(object value) => ValueLiterals.FromPlainValue(value);
    }

    private sealed class DateTimeScalar : ScalarType
    {
        public DateTimeScalar() : base("DateTime", "A date and time with offset, as an RFC 3339 string such as `2024-05-01T08:30:00+08:00`.",
            specifiedByUrl: "https://scalars.graphql.org/andimarek/date-time")
        {
        }

        public override object? Serialize(object value) => value switch
        {
            DateTimeOffset dto => RecentTexts.Format(dto),
            System.DateTime dt => (dt.Kind == DateTimeKind.Unspecified ? System.DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt).ToString("O", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            string s => Parse(s).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
            _ => throw new ValueCoercionException($"DateTime cannot represent value: {Show(value)}"),
        };

        public override object? ParseValue(object value) =>
            value is string s ? Parse(s) : throw new ValueCoercionException($"DateTime cannot represent a non string value: {Show(value)}");

        public override object? ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables = null) =>
            literal is StringValueNode s ? Parse(s.Value) : throw new ValueCoercionException($"DateTime cannot represent a non string value: {Printer.Print(literal)}");

        public override ValueNode? ToLiteral(object value) => new StringValueNode((string)Serialize(value)!);

        /// <summary>
        /// The text of recently serialized instants, per thread: a large result repeats the same few (time buckets,
        /// shared timestamps) thousands of times, and formatting costs far more than a lookup. Keyed by clock ticks
        /// and offset, which together decide the text.
        /// </summary>
        private static class RecentTexts
        {
            private const int Slots = 2048;

            [ThreadStatic]
            private static (long Ticks, int OffsetMinutes, string? Text)[]? t_slots;

            public static string Format(DateTimeOffset value)
            {
                var slots = t_slots ??= new (long, int, string?)[Slots];
                var ticks = value.Ticks;
                var offsetMinutes = (int)(value.Offset.Ticks / TimeSpan.TicksPerMinute);
                var slot = (int)(((ulong)ticks * 0x9E3779B97F4A7C15UL ^ (ulong)offsetMinutes) >> 53) & (Slots - 1);
                ref var entry = ref slots[slot];
                if (entry.Text is not null && entry.Ticks == ticks && entry.OffsetMinutes == offsetMinutes)
                {
                    return entry.Text;
                }
                var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
                entry = (ticks, offsetMinutes, text);
                return text;
            }
        }

        private static DateTimeOffset Parse(string text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) && text.Contains('T', StringComparison.Ordinal)
                ? parsed
                : throw new ValueCoercionException($"DateTime cannot represent {Printer.PrintString(text)}: expected an RFC 3339 date-time such as 2024-05-01T08:30:00Z");
    }
}
