using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Validation;

/// <summary>
/// What rules see while the document is walked: the schema, the document, the type information at the current node
/// (as graphql-js's TypeInfo tracks it) and helpers over fragments and variable usages. Rules report errors here.
/// </summary>
public sealed class ValidationContext
{
    private readonly List<GraphQLError> _errors = [];
    private readonly Dictionary<string, FragmentDefinitionNode> _fragments = new(StringComparer.Ordinal);
    private readonly Dictionary<SelectionSetNode, List<FragmentSpreadNode>> _spreads = [];
    private readonly Dictionary<OperationDefinitionNode, List<FragmentDefinitionNode>> _referencedFragments = [];
    private readonly Dictionary<ExecutableDefinitionNode, List<VariableUsage>> _usages = [];
    private readonly int _maxErrors;

    internal ValidationContext(Schema schema, DocumentNode document, int maxErrors)
    {
        Schema = schema;
        Document = document;
        _maxErrors = maxErrors;
        foreach (var definition in document.Definitions)
        {
            if (definition is FragmentDefinitionNode fragment)
            {
                _fragments.TryAdd(fragment.Name.Value, fragment);
            }
        }
        TypeInfo = new TypeInfo(schema);
        DocumentTypeNames = document.Definitions.OfType<TypeDefinitionNode>().Where(t => !t.IsExtension).Select(t => t.Name.Value)
            .ToHashSet(StringComparer.Ordinal);
        DocumentDirectives = document.Definitions.OfType<DirectiveDefinitionNode>().GroupBy(d => d.Name.Value)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
    }

    /// <summary>Names of types the document itself defines (type system definitions in a request are invalid, but count as known).</summary>
    public IReadOnlySet<string> DocumentTypeNames { get; }

    /// <summary>Directives the document itself defines.</summary>
    public IReadOnlyDictionary<string, DirectiveDefinitionNode> DocumentDirectives { get; }

    /// <summary>True while the walk is inside a type system definition.</summary>
    public bool InTypeSystemDefinition { get; internal set; }

    public Schema Schema { get; }

    public DocumentNode Document { get; }

    internal TypeInfo TypeInfo { get; }

    public IReadOnlyList<GraphQLError> Errors => _errors;

    internal bool Aborted => _errors.Count >= _maxErrors;

    /// <summary>The composite type whose selection set contains the current node.</summary>
    public NamedType? ParentType => TypeInfo.ParentType;

    /// <summary>The output type of the current field (or operation, fragment).</summary>
    public GraphQLType? Type => TypeInfo.Type;

    public FieldDefinition? FieldDefinition => TypeInfo.FieldDefinition;

    /// <summary>The input type the current value must have.</summary>
    public GraphQLType? InputType => TypeInfo.InputType;

    /// <summary>The input type one level up (the list or input object around the current value).</summary>
    public GraphQLType? ParentInputType => TypeInfo.ParentInputType;

    public DirectiveDefinition? Directive => TypeInfo.Directive;

    /// <summary>The directive node whose arguments are being walked (also when the schema does not know it).</summary>
    public DirectiveNode? DirectiveNode => TypeInfo.DirectiveNode;

    public InputValueDefinition? Argument => TypeInfo.Argument;

    public FragmentDefinitionNode? GetFragment(string name) => _fragments.GetValueOrDefault(name);

    public void ReportError(ValidationRule rule, string message, params SyntaxNode?[] nodes)
    {
        if (_errors.Count >= _maxErrors)
        {
            return;
        }
        _errors.Add(GraphQLError.At(message, nodes, new Dictionary<string, object?>
        {
            ["code"] = ErrorCodes.ValidationFailed,
            ["rule"] = rule.Name,
        }));
    }

    public void ReportError(ValidationRule rule, string message, IEnumerable<SyntaxNode?> nodes) => ReportError(rule, message, nodes.ToArray());

    /// <summary>The fragment spreads directly in a selection set (inside fields and inline fragments, not inside fragments).</summary>
    public IReadOnlyList<FragmentSpreadNode> GetFragmentSpreads(SelectionSetNode selectionSet)
    {
        if (_spreads.TryGetValue(selectionSet, out var cached))
        {
            return cached;
        }
        var spreads = new List<FragmentSpreadNode>();
        var pending = new Stack<SelectionSetNode>();
        pending.Push(selectionSet);
        while (pending.Count > 0)
        {
            foreach (var selection in pending.Pop().Selections)
            {
                switch (selection)
                {
                    case FragmentSpreadNode spread:
                        spreads.Add(spread);
                        break;
                    case FieldNode { SelectionSet: { } set }:
                        pending.Push(set);
                        break;
                    case InlineFragmentNode inline:
                        pending.Push(inline.SelectionSet);
                        break;
                }
            }
        }
        _spreads[selectionSet] = spreads;
        return spreads;
    }

    /// <summary>Every fragment an operation uses, directly or through other fragments (each once).</summary>
    public IReadOnlyList<FragmentDefinitionNode> GetRecursivelyReferencedFragments(OperationDefinitionNode operation)
    {
        if (_referencedFragments.TryGetValue(operation, out var cached))
        {
            return cached;
        }
        var fragments = new List<FragmentDefinitionNode>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<SelectionSetNode>();
        pending.Push(operation.SelectionSet);
        while (pending.Count > 0)
        {
            foreach (var spread in GetFragmentSpreads(pending.Pop()))
            {
                var name = spread.Name.Value;
                if (seen.Add(name) && GetFragment(name) is { } fragment)
                {
                    fragments.Add(fragment);
                    pending.Push(fragment.SelectionSet);
                }
            }
        }
        _referencedFragments[operation] = fragments;
        return fragments;
    }

    /// <summary>The variables used in a definition (not inside fragments it spreads), with the input type expected there.</summary>
    public IReadOnlyList<VariableUsage> GetVariableUsages(ExecutableDefinitionNode definition)
    {
        if (_usages.TryGetValue(definition, out var cached))
        {
            return cached;
        }
        var collector = new VariableUsageCollector();
        var walker = new DocumentWalker(new ValidationContext(Schema, Document, int.MaxValue), [collector]);
        walker.WalkDefinition(definition);
        _usages[definition] = collector.Usages;
        return collector.Usages;
    }

    /// <summary>The variables used by an operation and every fragment it reaches.</summary>
    public IReadOnlyList<VariableUsage> GetRecursiveVariableUsages(OperationDefinitionNode operation)
    {
        var usages = new List<VariableUsage>(GetVariableUsages(operation));
        foreach (var fragment in GetRecursivelyReferencedFragments(operation))
        {
            usages.AddRange(GetVariableUsages(fragment));
        }
        return usages;
    }

    private sealed class VariableUsageCollector : ValidationRule
    {
        public override string Name => "VariableUsages";

        private bool _inVariableDefinition;

        public List<VariableUsage> Usages { get; } = [];

        public override void EnterVariableDefinition(ValidationContext context, VariableDefinitionNode node) => _inVariableDefinition = true;

        public override void LeaveVariableDefinition(ValidationContext context, VariableDefinitionNode node) => _inVariableDefinition = false;

        public override void EnterValue(ValidationContext context, ValueNode node)
        {
            if (node is VariableNode variable && !_inVariableDefinition)
            {
                // The raw parent type, as the reference implementation checks it: a OneOf type wrapped in non-null does not count.
                var parentIsOneOf = context.ParentInputType is InputObjectType { IsOneOf: true } && context.TypeInfo.InObjectField;
                Usages.Add(new VariableUsage(variable, context.InputType, context.TypeInfo.HasDefaultValue, parentIsOneOf));
            }
        }
    }
}

/// <summary>A variable used at a place expecting <see cref="Type"/>; <see cref="HasLocationDefault"/> when that place has a default.</summary>
public sealed record VariableUsage(VariableNode Node, GraphQLType? Type, bool HasLocationDefault, bool InOneOfField);
