using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Execution;

/// <summary>CoerceVariableValues (§6.1.2): the request's variable values checked and converted against their definitions.</summary>
internal static class VariableCoercion
{
    private static readonly IReadOnlyDictionary<string, object?> None = new Dictionary<string, object?>();

    public static IReadOnlyDictionary<string, object?> Coerce(Schema schema, OperationDefinitionNode operation, IReadOnlyDictionary<string, object?>? values,
        List<GraphQLError> errors)
    {
        if (operation.VariableDefinitions.Count == 0)
        {
            return None;
        }
        var coerced = new Dictionary<string, object?>(operation.VariableDefinitions.Count, StringComparer.Ordinal);
        foreach (var definition in operation.VariableDefinitions)
        {
            var name = definition.Variable.Name.Value;
            var type = TypeOf(schema, definition.Type);
            if (type is null || !type.IsInputType)
            {
                errors.Add(Error($"Variable \"${name}\" has type \"{Printer.Print(definition.Type)}\", which is not an input type of the schema.", definition));
                continue;
            }
            var hasValue = values is not null && values.TryGetValue(name, out _);
            var value = hasValue ? values![name] : null;
            if (!hasValue && definition.DefaultValue is not null)
            {
                try
                {
                    coerced[name] = InputCoercion.CoerceLiteral(definition.DefaultValue, type, null);
                }
                catch (ValueCoercionException e)
                {
                    errors.Add(Error($"Variable \"${name}\" has an invalid default value: {e.Message}.", definition));
                }
                continue;
            }
            if (type is NonNullType && (!hasValue || value is null))
            {
                errors.Add(Error(hasValue
                    ? $"Variable \"${name}\" of non-null type \"{type}\" must not be null."
                    : $"Variable \"${name}\" of required type \"{type}\" was not provided.", definition));
                continue;
            }
            if (!hasValue)
            {
                continue;
            }
            try
            {
                coerced[name] = InputCoercion.CoerceValue(value, type, "$" + name);
            }
            catch (ValueCoercionException e)
            {
                errors.Add(Error($"Variable \"${name}\" got an invalid value: {e.Message}.", definition));
            }
        }
        return coerced;
    }

    internal static GraphQLType? TypeOf(Schema schema, TypeNode node) => node switch
    {
        NonNullTypeNode nonNull => TypeOf(schema, nonNull.Type) is { } inner ? new NonNullType(inner) : null,
        ListTypeNode list => TypeOf(schema, list.Type) is { } item ? new ListType(item) : null,
        NamedTypeNode named => schema.GetType(named.Name.Value),
        _ => null,
    };

    private static GraphQLError Error(string message, SyntaxNode node) =>
        GraphQLError.At(message, [node], new Dictionary<string, object?> { ["code"] = ErrorCodes.BadUserInput });
}
