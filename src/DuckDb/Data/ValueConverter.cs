using System.Collections;
using System.Globalization;

using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Data;

/// <summary>Converts a value read from DuckDB to the .NET type a caller asked for (the slow, general path).</summary>
internal static class ValueConverter
{
    public static T Convert<T>(object? value, DuckDbType sourceType, string? column = null) =>
        (T)Convert(value, typeof(T), sourceType, column)!;

    public static object? Convert(object? value, Type target, DuckDbType sourceType, string? column = null)
    {
        if (value is null || value is DBNull)
        {
            if (!target.IsValueType || Nullable.GetUnderlyingType(target) is not null)
            {
                return target == typeof(DBNull) ? DBNull.Value : null;
            }
            throw new InvalidCastException($"{Describe(column, sourceType)} is NULL; read it as {target.Name}? (nullable) or check IsDBNull first");
        }
        if (target.IsInstanceOfType(value))
        {
            return value;
        }
        var underlying = Nullable.GetUnderlyingType(target) ?? target;
        if (underlying.IsInstanceOfType(value))
        {
            return value;
        }
        try
        {
            var converted = ConvertKnown(value, underlying, sourceType);
            if (converted is not null)
            {
                return converted;
            }
        }
        catch (Exception e) when (e is OverflowException or FormatException or InvalidCastException)
        {
            throw new InvalidCastException($"{Describe(column, sourceType)} value {value} cannot be read as {target.Name}: {e.Message}", e);
        }
        throw new InvalidCastException($"{Describe(column, sourceType)} cannot be read as {target.Name}");
    }

    private static string Describe(string? column, DuckDbType type) => column is null ? $"a {type} value" : $"column '{column}' ({type})";

    private static object? ConvertKnown(object value, Type target, DuckDbType sourceType)
    {
        if (IsNumeric(target) && IsNumeric(value.GetType()))
        {
            if (target == typeof(Int128) || target == typeof(UInt128) || value is Int128 or UInt128)
            {
                return ConvertWide(value, target);
            }
            if (!IsFloating(target) && IsFloating(value.GetType()))
            {
                var d = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (Math.Truncate(d) != d)
                {
                    throw new InvalidCastException($"{d} is not a whole number");
                }
            }
            return System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
        }
        switch (value)
        {
            case DateTime dateTime when target == typeof(DateTimeOffset):
                return dateTime.Kind == DateTimeKind.Local ? new DateTimeOffset(dateTime) : new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc));
            case DateTime dateTime when target == typeof(DateOnly):
                return DateOnly.FromDateTime(dateTime);
            case DateTimeOffset offset when target == typeof(DateTime):
                return offset.UtcDateTime;
            case DateOnly date when target == typeof(DateTime):
                return date.ToDateTime(TimeOnly.MinValue);
            case TimeOnly time when target == typeof(TimeSpan):
                return time.ToTimeSpan();
            case DuckDbInterval interval when target == typeof(TimeSpan):
                return interval.ToTimeSpan();
            case Guid guid when target == typeof(string):
                return guid.ToString();
            case string text when target == typeof(char) && text.Length == 1:
                return text[0];
            case List<object?> list when target.IsArray:
            {
                var element = target.GetElementType()!;
                var array = Array.CreateInstance(element, list.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    array.SetValue(Convert(list[i], element, sourceType.ElementType ?? sourceType), i);
                }
                return array;
            }
            case List<object?> list when target.IsGenericType && IsListLike(target):
            {
                var element = target.GetGenericArguments()[0];
                var typed = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element), list.Count)!;
                foreach (var item in list)
                {
                    typed.Add(Convert(item, element, sourceType.ElementType ?? sourceType));
                }
                return typed;
            }
            case Dictionary<string, object?> fields when target.IsGenericType && IsDictionaryLike(target) && target.GetGenericArguments()[0] == typeof(string):
            {
                var element = target.GetGenericArguments()[1];
                var typed = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), element))!;
                foreach (var (key, item) in fields)
                {
                    var fieldType = sourceType.Fields.FirstOrDefault(f => f.Name == key)?.Type ?? sourceType;
                    typed.Add(key, Convert(item, element, fieldType));
                }
                return typed;
            }
            case Dictionary<object, object?> map when target.IsGenericType && IsDictionaryLike(target):
            {
                var arguments = target.GetGenericArguments();
                var typed = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
                foreach (var (key, item) in map)
                {
                    typed.Add(Convert(key, arguments[0], sourceType.Fields.ElementAtOrDefault(0)?.Type ?? sourceType)!,
                        Convert(item, arguments[1], sourceType.Fields.ElementAtOrDefault(1)?.Type ?? sourceType));
                }
                return typed;
            }
        }
        return null;
    }

    private static bool IsListLike(Type type)
    {
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
            || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(ICollection<>);
    }

    private static bool IsDictionaryLike(Type type)
    {
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>);
    }

    private static bool IsNumeric(Type type) =>
        type == typeof(sbyte) || type == typeof(short) || type == typeof(int) || type == typeof(long)
        || type == typeof(byte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong)
        || type == typeof(float) || type == typeof(double) || type == typeof(decimal)
        || type == typeof(Int128) || type == typeof(UInt128);

    private static bool IsFloating(Type type) => type == typeof(float) || type == typeof(double);

    private static object ConvertWide(object value, Type target)
    {
        var wide = value switch
        {
            Int128 i => i,
            UInt128 u => checked((Int128)u),
            decimal d when Math.Truncate(d) == d => (Int128)d,
            double or float => throw new InvalidCastException("floating-point values are not read as 128-bit integers"),
            _ => (Int128)System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
        };
        if (target == typeof(Int128))
        {
            return wide;
        }
        if (target == typeof(UInt128))
        {
            return checked((UInt128)wide);
        }
        if (target == typeof(double))
        {
            return (double)wide;
        }
        if (target == typeof(float))
        {
            return (float)wide;
        }
        if (target == typeof(decimal))
        {
            return (decimal)wide;
        }
        return System.Convert.ChangeType(checked((long)wide), target, CultureInfo.InvariantCulture);
    }
}
