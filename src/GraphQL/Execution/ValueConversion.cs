using System.Collections;
using System.Globalization;
using System.Reflection;

namespace OneMap.GraphQL.Execution;

/// <summary>Converts coerced input values (numbers, strings, lists, maps) to the CLR types resolvers ask for.</summary>
public static class ValueConversion
{
    public static T? To<T>(object? value) => (T?)To(value, typeof(T));

    public static object? To(object? value, Type target)
    {
        if (value is null)
        {
            return null;
        }
        var underlying = Nullable.GetUnderlyingType(target) ?? target;
        if (underlying.IsInstanceOfType(value))
        {
            return value;
        }
        if (underlying.IsEnum)
        {
            return value is string name ? Enum.Parse(underlying, name, ignoreCase: true) : Enum.ToObject(underlying, value);
        }
        if (underlying == typeof(Guid) && value is string guid)
        {
            return Guid.Parse(guid);
        }
        if (underlying == typeof(DateTimeOffset) && value is string dto)
        {
            return DateTimeOffset.Parse(dto, CultureInfo.InvariantCulture);
        }
        if (underlying == typeof(DateTime) && value is string dt)
        {
            return DateTime.Parse(dt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        }
        if (value is IConvertible && typeof(IConvertible).IsAssignableFrom(underlying) && underlying != typeof(string))
        {
            return Convert.ChangeType(value, underlying, CultureInfo.InvariantCulture);
        }
        if (value is IEnumerable items && value is not string && value is not IReadOnlyDictionary<string, object?>)
        {
            var itemType = underlying.IsArray ? underlying.GetElementType()!
                : underlying.IsGenericType ? underlying.GetGenericArguments()[0]
                : typeof(object);
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
            foreach (var item in items)
            {
                list.Add(To(item, itemType));
            }
            if (underlying.IsArray)
            {
                var array = Array.CreateInstance(itemType, list.Count);
                list.CopyTo(array, 0);
                return array;
            }
            return list;
        }
        if (value is IReadOnlyDictionary<string, object?> map && underlying.IsClass && underlying != typeof(string))
        {
            return ToObject(map, underlying);
        }
        if (underlying == typeof(string))
        {
            return Convert.ToString(value, CultureInfo.InvariantCulture);
        }
        throw new InvalidCastException($"cannot convert {value.GetType().Name} to {target.Name}");
    }

    private static object ToObject(IReadOnlyDictionary<string, object?> map, Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        object instance;
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (constructor is not null && constructor.GetParameters().Length > 0)
        {
            // Records and classes with a primary constructor: match parameters by name.
            var arguments = constructor.GetParameters().Select(p =>
            {
                var entry = map.FirstOrDefault(kv => string.Equals(kv.Key, p.Name, StringComparison.OrdinalIgnoreCase));
                if (entry.Key is null)
                {
                    return p.HasDefaultValue ? p.DefaultValue : null;
                }
                used.Add(entry.Key);
                return To(entry.Value, p.ParameterType);
            }).ToArray();
            instance = constructor.Invoke(arguments);
        }
        else
        {
            instance = Activator.CreateInstance(type)!;
        }
        foreach (var (key, item) in map)
        {
            if (used.Contains(key))
            {
                continue;
            }
            var property = type.GetProperty(key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property?.SetMethod is not null)
            {
                property.SetValue(instance, To(item, property.PropertyType));
            }
        }
        return instance;
    }
}
