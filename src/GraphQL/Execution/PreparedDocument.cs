using OneMap.GraphQL.Language;
using OneMap.GraphQL.Protection;
using OneMap.GraphQL.Types;
using OneMap.GraphQL.Validation;

namespace OneMap.GraphQL.Execution;

/// <summary>
/// A document parsed and validated against one schema, with what can be computed once: its operations' depth and
/// alias counts, whether it uses introspection, and (when @skip/@include do not depend on variables) the execution
/// plans. Cached by the engine, keyed by schema and text.
/// </summary>
public sealed class PreparedDocument
{
    private readonly Dictionary<OperationDefinitionNode, OperationMeasures> _measures = [];
    private readonly Dictionary<OperationDefinitionNode, ExecutionPlan> _plans = [];
    private readonly Lock _lock = new();

    internal PreparedDocument(Schema schema, string text, DocumentNode? document, GraphQLError? syntaxError, IReadOnlyList<GraphQLError> validationErrors)
    {
        Schema = schema;
        Text = text;
        Document = document;
        SyntaxError = syntaxError;
        ValidationErrors = validationErrors;
        if (document is not null)
        {
            UsesIntrospection = Contains(document, n => n.Name.Value is "__schema" or "__type");
            HasVariableConditions = ContainsVariableCondition(document);
        }
    }

    public Schema Schema { get; }

    public string Text { get; }

    /// <summary>The parsed document; null when it did not parse.</summary>
    public DocumentNode? Document { get; }

    public GraphQLError? SyntaxError { get; }

    public IReadOnlyList<GraphQLError> ValidationErrors { get; }

    public bool IsValid => SyntaxError is null && ValidationErrors.Count == 0;

    public bool UsesIntrospection { get; }

    /// <summary>True when a @skip or @include condition is a variable (execution plans then depend on the request).</summary>
    public bool HasVariableConditions { get; }

    internal OperationMeasures GetMeasures(OperationDefinitionNode operation)
    {
        lock (_lock)
        {
            if (!_measures.TryGetValue(operation, out var measures))
            {
                measures = OperationMeasures.Measure(Document!, operation);
                _measures[operation] = measures;
            }
            return measures;
        }
    }

    internal ExecutionPlan GetPlan(Schema schema, IReadOnlyDictionary<string, object?> variables, OperationDefinitionNode operation)
    {
        if (HasVariableConditions || schema != Schema)
        {
            return new ExecutionPlan(schema, Document!, variables);
        }
        lock (_lock)
        {
            if (!_plans.TryGetValue(operation, out var plan))
            {
                plan = new ExecutionPlan(schema, Document!, variables);
                _plans[operation] = plan;
            }
            return plan;
        }
    }

    private static bool Contains(DocumentNode document, Func<FieldNode, bool> predicate)
    {
        var pending = new Stack<SelectionSetNode>();
        foreach (var definition in document.Definitions.OfType<ExecutableDefinitionNode>())
        {
            pending.Push(definition.SelectionSet);
        }
        while (pending.Count > 0)
        {
            foreach (var selection in pending.Pop().Selections)
            {
                switch (selection)
                {
                    case FieldNode field:
                        if (predicate(field))
                        {
                            return true;
                        }
                        if (field.SelectionSet is not null)
                        {
                            pending.Push(field.SelectionSet);
                        }
                        break;
                    case InlineFragmentNode inline:
                        pending.Push(inline.SelectionSet);
                        break;
                }
            }
        }
        return false;
    }

    private static bool ContainsVariableCondition(DocumentNode document)
    {
        var pending = new Stack<SelectionSetNode>();
        foreach (var definition in document.Definitions.OfType<ExecutableDefinitionNode>())
        {
            pending.Push(definition.SelectionSet);
        }
        while (pending.Count > 0)
        {
            foreach (var selection in pending.Pop().Selections)
            {
                foreach (var directive in selection.Directives)
                {
                    if (directive.Name.Value is "skip" or "include" && directive.Arguments.Any(a => a.Value is VariableNode))
                    {
                        return true;
                    }
                }
                switch (selection)
                {
                    case FieldNode { SelectionSet: { } set }:
                        pending.Push(set);
                        break;
                    case InlineFragmentNode inline:
                        pending.Push(inline.SelectionSet);
                        break;
                }
            }
        }
        return false;
    }
}

/// <summary>A bounded cache of prepared documents keyed by schema and document text.</summary>
internal sealed class DocumentCache(int capacity)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Schema, string), PreparedDocument> _entries = new();

    public PreparedDocument GetOrAdd(Schema schema, string text, Func<PreparedDocument> prepare)
    {
        if (capacity <= 0)
        {
            return prepare();
        }
        if (_entries.TryGetValue((schema, text), out var cached))
        {
            return cached;
        }
        var prepared = prepare();
        if (prepared.SyntaxError?.Code == ErrorCodes.TokenLimit)
        {
            // Another request may have a higher token limit: do not remember this refusal.
            return prepared;
        }
        if (_entries.Count >= capacity)
        {
            // Evict about a quarter, oldest first is not tracked: an arbitrary quarter keeps the bound cheaply.
            foreach (var key in _entries.Keys.Take(Math.Max(1, capacity / 4)).ToList())
            {
                _entries.TryRemove(key, out _);
            }
        }
        _entries[(schema, text)] = prepared;
        return prepared;
    }

    public int Count => _entries.Count;
}
