using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>
/// §5.6.1 Values of Correct Type, §5.6.4 Input Object Required Fields, §5.6.2 Input Object Field Names and the OneOf
/// rules: every literal can be coerced to the type its position expects.
/// </summary>
public sealed class ValuesOfCorrectType : ValidationRule
{
    // A value already reported as a whole: its nested values are not checked again.
    private ValueNode? _skipped;

    public override string Name => "ValuesOfCorrectType";

    public override void EnterValue(ValidationContext context, ValueNode node)
    {
        if (_skipped is not null)
        {
            return;
        }
        var type = context.InputType;
        switch (node)
        {
            case VariableNode:
                return;
            case NullValueNode:
                if (type is NonNullType)
                {
                    context.ReportError(this, $"Expected a value of type \"{type}\", found null.", node);
                }
                return;
            case ListValueNode:
                if (type?.Nullable is not ListType)
                {
                    CheckLeaf(context, node);
                    _skipped = node;
                }
                return;
            case ObjectValueNode obj:
                if (type?.Named is not InputObjectType inputType)
                {
                    CheckLeaf(context, node);
                    _skipped = node;
                    return;
                }
                foreach (var field in inputType.Fields)
                {
                    if (field.IsRequired && !obj.Fields.Any(f => f.Name.Value == field.Name))
                    {
                        context.ReportError(this, $"Field \"{inputType.Name}.{field.Name}\" of required type \"{field.Type}\" was not given.", node);
                    }
                }
                if (inputType.IsOneOf)
                {
                    CheckOneOf(context, obj, inputType);
                }
                return;
            default:
                CheckLeaf(context, node);
                return;
        }
    }

    public override void LeaveValue(ValidationContext context, ValueNode node)
    {
        if (ReferenceEquals(_skipped, node))
        {
            _skipped = null;
        }
    }

    public override void EnterObjectField(ValidationContext context, ObjectFieldNode node)
    {
        if (_skipped is null && context.InputType is null && context.ParentInputType?.Named is InputObjectType parent)
        {
            context.ReportError(this, $"Field \"{node.Name.Value}\" is not defined by input type \"{parent.Name}\".", node);
        }
    }

    private void CheckOneOf(ValidationContext context, ObjectValueNode node, InputObjectType type)
    {
        var keys = node.Fields.Select(f => f.Name.Value).Distinct().ToList();
        if (keys.Count != 1)
        {
            context.ReportError(this, $"OneOf input object \"{type.Name}\" must be given exactly one field.", node);
            return;
        }
        var value = node.Fields.Last(f => f.Name.Value == keys[0]).Value;
        if (value is NullValueNode)
        {
            context.ReportError(this, $"Field \"{type.Name}.{keys[0]}\" of a OneOf input object must not be null.", node);
        }
    }

    /// <summary>A literal standing where a scalar or enum is expected must parse as one.</summary>
    private void CheckLeaf(ValidationContext context, ValueNode node)
    {
        if (context.InputType is not { } locationType)
        {
            return;
        }
        var type = locationType.Named;
        if (!type.IsLeafType())
        {
            context.ReportError(this, $"Expected a value of type \"{locationType}\", found {Printer.Print(node)}.", node);
            return;
        }
        if (type is EnumType enumType)
        {
            if (node is not EnumValueNode enumValue)
            {
                context.ReportError(this, $"Enum \"{enumType.Name}\" cannot represent the non-enum value {Printer.Print(node)}.", node);
            }
            else if (enumType.GetValue(enumValue.Value) is null)
            {
                context.ReportError(this, $"Value \"{enumValue.Value}\" does not exist in enum \"{enumType.Name}\".", node);
            }
            return;
        }
        try
        {
            var scalar = (ScalarType)type;
            if (node is ListValueNode or ObjectValueNode && scalar.IsBuiltIn)
            {
                throw new ValueCoercionException($"{scalar.Name} cannot represent {Printer.Print(node)}");
            }
            scalar.ParseLiteral(node);
        }
        catch (Exception e) when (e is ValueCoercionException or FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            context.ReportError(this, $"Expected a value of type \"{locationType}\", found {Printer.Print(node)}: {e.Message}.", node);
        }
    }
}
