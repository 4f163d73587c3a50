using System.Collections;
using System.ComponentModel;
using System.Reflection;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Protection;

namespace OneMap.GraphQL.Types;

/// <summary>
/// Derives schema types from CLR types: classes become object types (properties and [GraphQLField] methods as fields),
/// parameter classes become input objects, enums become enums; nullable reference annotations decide non-null.
/// </summary>
internal static class ClrTypes
{
    // NullabilityInfoContext caches into plain dictionaries and is not thread-safe: schemas built on several threads at
    // once (servers, parallel tests) each read nullability through their thread's own context.
    [ThreadStatic]
    private static NullabilityInfoContext? nullability;

    private static NullabilityInfoContext Nullability => nullability ??= new();

    public static string AddObject(SchemaBuilder builder, Type type, string? name)
    {
        name ??= type.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? type.Name;
        if (builder.HasType(name))
        {
            return name;
        }
        builder.Object(name, o => o.ClrType(type).Description(Describe(type)));
        builder.Object(name, o =>
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetMethod is null || property.GetIndexParameters().Length > 0 || property.IsDefined(typeof(GraphQLIgnoreAttribute)))
                {
                    continue;
                }
                var fieldName = property.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? CamelCase(property.Name);
                var typeRef = property.GetCustomAttribute<GraphQLTypeAttribute>()?.Type ?? OutputTypeRef(builder, property.PropertyType, Nullability.Create(property));
                var getter = property.GetMethod;
                o.Field(fieldName, typeRef, f =>
                {
                    f.Description(Describe(property)).Resolve(context => context.Parent is null ? null : getter.Invoke(context.Parent, null));
                    Decorate(f, property);
                });
            }
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (!method.IsDefined(typeof(GraphQLFieldAttribute)) || method.IsDefined(typeof(GraphQLIgnoreAttribute)))
                {
                    continue;
                }
                AddMethodField(builder, o, method);
            }
        });
        return name;
    }

    private static void AddMethodField(SchemaBuilder builder, ObjectTypeBuilder type, MethodInfo method)
    {
        var name = method.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? CamelCase(StripAsync(method.Name));
        var typeRef = method.GetCustomAttribute<GraphQLTypeAttribute>()?.Type ?? OutputTypeRef(builder, method.ReturnType, Nullability.Create(method.ReturnParameter));
        var parameters = method.GetParameters();
        type.Field(name, typeRef, f =>
        {
            f.Description(XmlDocumentation.ForMethod(method) ?? method.GetCustomAttribute<DescriptionAttribute>()?.Description);
            Decorate(f, method);
            foreach (var parameter in parameters)
            {
                if (IsInjected(parameter))
                {
                    continue;
                }
                var argumentName = parameter.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? parameter.Name!;
                var argumentType = parameter.GetCustomAttribute<GraphQLTypeAttribute>()?.Type ?? InputTypeRef(builder, parameter.ParameterType, Nullability.Create(parameter));
                f.Argument(argumentName, parameter.HasDefaultValue && !argumentType.EndsWith('!') ? argumentType : parameter.HasDefaultValue ? argumentType[..^1] : argumentType, a =>
                {
                    a.Description(XmlDocumentation.ForParameter(method, parameter) ?? parameter.GetCustomAttribute<DescriptionAttribute>()?.Description);
                    if (parameter.HasDefaultValue && parameter.DefaultValue is not null)
                    {
                        a.DefaultValue(parameter.DefaultValue);
                    }
                });
            }
            f.Resolve(context => Invoke(method, parameters, context));
        });
    }

    private static void Decorate(FieldBuilder field, MemberInfo member)
    {
        if (member.GetCustomAttribute<ObsoleteAttribute>() is { } obsolete)
        {
            field.Deprecated(obsolete.Message ?? BuiltInDirectives.DefaultDeprecationReason);
        }
        if (member.GetCustomAttribute<GraphQLCostAttribute>() is { } cost)
        {
            field.Cost(new CostHint(cost.Weight, cost.SizeArguments.Count > 0 ? cost.SizeArguments : null));
        }
    }

    private static bool IsInjected(ParameterInfo parameter) =>
        parameter.ParameterType == typeof(ResolveContext) || parameter.ParameterType == typeof(CancellationToken)
        || parameter.ParameterType == typeof(ClaimsPrincipal) || parameter.IsDefined(typeof(GraphQLServiceAttribute));

    private static async ValueTask<object?> Invoke(MethodInfo method, ParameterInfo[] parameters, ResolveContext context)
    {
        var arguments = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.ParameterType == typeof(ResolveContext))
            {
                arguments[i] = context;
            }
            else if (parameter.ParameterType == typeof(CancellationToken))
            {
                arguments[i] = context.CancellationToken;
            }
            else if (parameter.ParameterType == typeof(ClaimsPrincipal))
            {
                arguments[i] = context.User;
            }
            else if (parameter.IsDefined(typeof(GraphQLServiceAttribute)))
            {
                arguments[i] = context.Services?.GetService(parameter.ParameterType)
                    ?? throw new InvalidOperationException($"service {parameter.ParameterType.Name} is not registered");
            }
            else
            {
                var argumentName = parameter.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? parameter.Name!;
                arguments[i] = context.Arguments.TryGetValue(argumentName, out var value)
                    ? ValueConversion.To(value, parameter.ParameterType)
                    : parameter.HasDefaultValue ? parameter.DefaultValue : null;
            }
        }
        var target = method.IsStatic ? null : context.Parent ?? context.Services?.GetService(method.DeclaringType!)
            ?? throw new InvalidOperationException($"no {method.DeclaringType!.Name} to call {method.Name} on: pass one as the root value or register it as a service");
        object? result;
        try
        {
            result = method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
        switch (result)
        {
            case Task task:
                await task.ConfigureAwait(false);
                return task.GetType().GetProperty("Result")?.GetValue(task);
            case null:
                return null;
        }
        var resultType = result.GetType();
        if (resultType.IsGenericType && resultType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var task = (Task)resultType.GetMethod("AsTask")!.Invoke(result, null)!;
            await task.ConfigureAwait(false);
            return task.GetType().GetProperty("Result")!.GetValue(task);
        }
        return result;
    }

    public static string AddInputObject(SchemaBuilder builder, Type type)
    {
        var name = type.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? (type.Name.EndsWith("Input", StringComparison.Ordinal) ? type.Name : type.Name + "Input");
        if (builder.HasType(name))
        {
            return name;
        }
        builder.InputObject(name, i => i.Description(Describe(type)));
        builder.InputObject(name, i =>
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length > 0 || property.IsDefined(typeof(GraphQLIgnoreAttribute)))
                {
                    continue;
                }
                var fieldName = property.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? CamelCase(property.Name);
                var typeRef = property.GetCustomAttribute<GraphQLTypeAttribute>()?.Type ?? InputTypeRef(builder, property.PropertyType, Nullability.Create(property));
                i.Field(fieldName, typeRef, f =>
                {
                    f.Description(Describe(property));
                    if (property.GetCustomAttribute<ObsoleteAttribute>() is { } obsolete && !typeRef.EndsWith('!'))
                    {
                        f.Deprecated(obsolete.Message ?? BuiltInDirectives.DefaultDeprecationReason);
                    }
                });
            }
        });
        return name;
    }

    public static string AddEnum(SchemaBuilder builder, Type type, string? name)
    {
        name ??= type.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? type.Name;
        if (builder.HasType(name))
        {
            return name;
        }
        builder.Enum(name, e =>
        {
            e.Description(Describe(type));
            foreach (var member in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                if (member.IsDefined(typeof(GraphQLIgnoreAttribute)))
                {
                    continue;
                }
                var valueName = member.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? UpperSnakeCase(member.Name);
                e.Value(valueName, member.GetValue(null), v =>
                {
                    v.Description(XmlDocumentation.ForField(member) ?? member.GetCustomAttribute<DescriptionAttribute>()?.Description);
                    if (member.GetCustomAttribute<ObsoleteAttribute>() is { } obsolete)
                    {
                        v.Deprecated(obsolete.Message ?? BuiltInDirectives.DefaultDeprecationReason);
                    }
                });
            }
        });
        return name;
    }

    private static string OutputTypeRef(SchemaBuilder builder, Type type, NullabilityInfo? nullability)
    {
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return OutputTypeRef(builder, type.GetGenericArguments()[0], nullability?.GenericTypeArguments.FirstOrDefault());
        }
        return TypeRef(builder, type, nullability, input: false);
    }

    private static string InputTypeRef(SchemaBuilder builder, Type type, NullabilityInfo? nullability) => TypeRef(builder, type, nullability, input: true);

    private static string TypeRef(SchemaBuilder builder, Type type, NullabilityInfo? nullability, bool input)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        var nonNull = underlying is null && (type.IsValueType || nullability?.ReadState == NullabilityState.NotNull);
        type = underlying ?? type;
        var named = type switch
        {
            _ when type == typeof(string) || type == typeof(char) => "String",
            _ when type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort) => "Int",
            _ when type == typeof(long) || type == typeof(uint) || type == typeof(ulong) || type == typeof(float) || type == typeof(double) || type == typeof(decimal) => "Float",
            _ when type == typeof(bool) => "Boolean",
            _ when type == typeof(Guid) => "ID",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) => UseScalar(builder, Scalars.DateTime),
            _ when type == typeof(JsonElement) || type == typeof(JsonNode) || type == typeof(object) || typeof(IDictionary).IsAssignableFrom(type)
                || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)) => UseScalar(builder, Scalars.Json),
            _ when type.IsEnum => AddEnum(builder, type, null),
            _ when ElementType(type) is { } element => "[" + TypeRef(builder, element, nullability?.ElementType ?? nullability?.GenericTypeArguments.FirstOrDefault(), input) + "]",
            _ when input => AddInputObject(builder, type),
            _ => AddObject(builder, type, null),
        };
        return nonNull ? named + "!" : named;
    }

    private static string UseScalar(SchemaBuilder builder, ScalarType scalar)
    {
        builder.Scalar(scalar);
        return scalar.Name;
    }

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static string? Describe(Type type) => type.GetCustomAttribute<DescriptionAttribute>()?.Description ?? XmlDocumentation.ForType(type);

    private static string? Describe(PropertyInfo property) =>
        property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? XmlDocumentation.ForProperty(property);

    internal static string CamelCase(string name) => name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static string StripAsync(string name) => name.EndsWith("Async", StringComparison.Ordinal) && name.Length > 5 ? name[..^5] : name;

    internal static string UpperSnakeCase(string name)
    {
        var result = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))) && name[i - 1] != '_')
            {
                result.Append('_');
            }
            result.Append(char.ToUpperInvariant(c));
        }
        return result.ToString();
    }
}
