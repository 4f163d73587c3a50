using System.Globalization;
using System.Text.Json;

using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Geometry;

using NtsGeometry = NetTopologySuite.Geometries.Geometry;

namespace OneMap.GraphQLApi.Schema;

/// <summary>The scalars OneMap adds to GraphQL's: 64-bit integers, dates, and GeoJSON geometries.</summary>
public static class ApiScalars
{
    /// <summary>A 64-bit integer (row counts, ids, versions), written as a JSON number.</summary>
    public static ScalarType Long { get; } = new LongScalar();

    /// <summary>A calendar date, <c>yyyy-MM-dd</c>.</summary>
    public static ScalarType Date { get; } = new DateScalar();

    /// <summary>A GeoJSON geometry object (RFC 7946, WGS84 longitude/latitude).</summary>
    public static ScalarType GeoJson { get; } = new GeoJsonScalar();

    public static IReadOnlyList<ScalarType> All { get; } = [Long, Date, GeoJson, Scalars.Json, Scalars.DateTime];

    private sealed class LongScalar() : ScalarType("Long", "A 64-bit signed integer, written as a JSON number.")
    {
        public override object? Serialize(object value) => value switch
        {
            long l => l,
            int i => (long)i,
            short or byte or sbyte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ulong u when u <= long.MaxValue => (long)u,
            double d when Math.Floor(d) == d && Math.Abs(d) < 9.2e18 => (long)d,
            decimal m when decimal.Truncate(m) == m => (long)m,
            _ => throw new ValueCoercionException($"Long cannot represent {value}"),
        };

        public override object? ParseValue(object value) => value switch
        {
            long l => l,
            int i => (long)i,
            double d when Math.Floor(d) == d && Math.Abs(d) < 9.2e18 => (long)d,
            decimal m when decimal.Truncate(m) == m => (long)m,
            string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw new ValueCoercionException($"Long cannot represent {Describe(value)}"),
        };

        public override object? ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables = null) => literal switch
        {
            IntValueNode i when long.TryParse(i.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            StringValueNode s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw new ValueCoercionException($"Long cannot represent {Printer.Print(literal)}"),
        };
    }

    private sealed class DateScalar() : ScalarType("Date", "A calendar date as `yyyy-MM-dd`.")
    {
        public override object? Serialize(object value) => value switch
        {
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTime t => DateOnly.FromDateTime(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            string s => s,
            _ => throw new ValueCoercionException($"Date cannot represent {value}"),
        };

        public override object? ParseValue(object value) =>
            value is string s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw new ValueCoercionException($"Date must be a string yyyy-MM-dd, not {Describe(value)}");

        public override object? ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables = null) =>
            literal is StringValueNode s ? ParseValue(s.Value) : throw new ValueCoercionException($"Date must be a string yyyy-MM-dd, not {Printer.Print(literal)}");
    }

    private sealed class GeoJsonScalar() : ScalarType("GeoJSON", "A GeoJSON geometry object (RFC 7946): WGS84 longitude/latitude, e.g. `{\"type\":\"Point\",\"coordinates\":[119.0,25.43]}`.")
    {
        public override object? Serialize(object value) => value switch
        {
            byte[] wkb => GeoJsonValues.FromWkb(wkb),
            NtsGeometry geometry => GeoJsonValues.ToElement(geometry),
            JsonElement element => element,
            _ => throw new ValueCoercionException("GeoJSON cannot represent the value"),
        };

        public override object? ParseValue(object value)
        {
            try
            {
                return GeoJsonValues.Parse(value);
            }
            catch (GeometryInputException e)
            {
                throw new ValueCoercionException(e.Message);
            }
        }

        public override ValueNode? ToLiteral(object value) => null;
    }

    private static string Describe(object value) => value switch
    {
        string s => "\"" + s + "\"",
        JsonElement e => e.GetRawText(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? value.GetType().Name,
    };
}
