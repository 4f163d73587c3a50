namespace OneMap.GraphQL.Protection;

/// <summary>
/// How much a field costs in cost analysis: its own <see cref="Weight"/>, plus, for fields that return lists, the
/// cost of its selection times the list size. The size is read from the first of <see cref="SizeArguments"/> the
/// request gives (e.g. <c>first</c>, <c>limit</c>), else <see cref="AssumedSize"/>, else the request's default.
/// </summary>
/// <param name="Weight">The field's own cost; default 1.</param>
/// <param name="SizeArguments">Arguments whose value bounds the list size, e.g. <c>first</c> or <c>limit</c>.</param>
/// <param name="AssumedSize">List size assumed when none of the size arguments is given.</param>
/// <param name="SizedFields">
/// For a field that returns an object wrapping lists (a Relay connection): the child list fields whose size the size
/// arguments of this field bound (e.g. <c>edges</c> and <c>nodes</c>), as in IBM's cost directive <c>sizedFields</c>.
/// </param>
public sealed record CostHint(int Weight = 1, IReadOnlyList<string>? SizeArguments = null, int? AssumedSize = null, IReadOnlyList<string>? SizedFields = null);
