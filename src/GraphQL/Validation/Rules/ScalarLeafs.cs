using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.3.3 Leaf Field Selections: leaves have no selection set, composite fields must have one.</summary>
public sealed class ScalarLeafs : ValidationRule
{
    public override string Name => "ScalarLeafs";

    public override void EnterField(ValidationContext context, FieldNode node)
    {
        if (context.Type is not { } type)
        {
            return;
        }
        if (type.IsLeafType())
        {
            if (node.SelectionSet is not null)
            {
                context.ReportError(this, $"Field \"{node.Name.Value}\" returns the leaf type \"{type}\" and cannot have a selection set.", node.SelectionSet);
            }
        }
        else if (node.SelectionSet is null)
        {
            context.ReportError(this, $"Field \"{node.Name.Value}\" of type \"{type}\" needs a selection of subfields, e.g. \"{node.Name.Value} {{ ... }}\".", node);
        }
    }
}
