using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.8.5 All Variable Usages Are Allowed (IsVariableUsageAllowed, with the OneOf field rule).</summary>
public sealed class VariablesInAllowedPosition : ValidationRule
{
    private readonly Dictionary<string, VariableDefinitionNode> _definitions = new(StringComparer.Ordinal);

    public override string Name => "VariablesInAllowedPosition";

    public override void EnterOperation(ValidationContext context, OperationDefinitionNode node) => _definitions.Clear();

    public override void EnterVariableDefinition(ValidationContext context, VariableDefinitionNode node) =>
        _definitions[node.Variable.Name.Value] = node;

    public override void LeaveOperation(ValidationContext context, OperationDefinitionNode node)
    {
        foreach (var usage in context.GetRecursiveVariableUsages(node))
        {
            var name = usage.Node.Name.Value;
            if (!_definitions.TryGetValue(name, out var definition) || usage.Type is null)
            {
                continue;
            }
            var variableType = context.TypeInfo.FromTypeNode(definition.Type);
            if (variableType is null)
            {
                continue;
            }
            if (!IsAllowed(context.Schema, variableType, definition.DefaultValue, usage.Type, usage.HasLocationDefault))
            {
                context.ReportError(this, $"Variable \"${name}\" has type \"{variableType}\" but is used where type \"{usage.Type}\" is expected.", definition, usage.Node);
            }
            if (usage.InOneOfField && variableType is not NonNullType)
            {
                context.ReportError(this, $"Variable \"${name}\" has the nullable type \"{variableType}\" but a OneOf input object field needs a non-null value.", definition, usage.Node);
            }
        }
    }

    private static bool IsAllowed(Schema schema, GraphQLType variableType, ValueNode? variableDefault, GraphQLType locationType, bool locationHasDefault)
    {
        if (locationType is NonNullType nonNullLocation && variableType is not NonNullType)
        {
            var hasNonNullVariableDefault = variableDefault is not null and not NullValueNode;
            if (!hasNonNullVariableDefault && !locationHasDefault)
            {
                return false;
            }
            return SchemaValidator.IsSubTypeOf(schema, variableType, nonNullLocation.OfType);
        }
        return SchemaValidator.IsSubTypeOf(schema, variableType, locationType);
    }
}
