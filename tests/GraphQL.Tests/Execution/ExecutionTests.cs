using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json.Nodes;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Protection;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Tests.Execution;

public sealed class ExecutionTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<JsonNode> RunAsync(Schema schema, string query, ExecutionOptions? options = null, IReadOnlyDictionary<string, object?>? variables = null)
    {
        var result = await new GraphQLEngine(schema).ExecuteAsync(new GraphQLRequest { Query = query, Variables = variables }, options, Cancel);
        return JsonNode.Parse(result.ToJson())!;
    }

    private sealed record Parent(int Id);

    private sealed record Child(int ParentId, int Id);

    [Fact]
    public async Task batch_loaders_fetch_each_level_once_for_a_list_of_parents()
    {
        var childFetches = new ConcurrentBag<IReadOnlyList<int>>();
        var grandchildFetches = new ConcurrentBag<IReadOnlyList<int>>();
        var schema = new SchemaBuilder()
            .Query(q => q.Field("parents", "[Parent!]!", _ => Enumerable.Range(1, 50).Select(i => new Parent(i)).ToList()))
            .Object("Parent", o => o
                .Field("id", "Int!")
                .Field("children", "[Child!]!", f => f.ResolveAsync(async c =>
                {
                    var loader = c.BatchLoader<int, IReadOnlyList<Child>>("children", async (keys, ct) =>
                    {
                        childFetches.Add(keys);
                        await Task.Delay(1, ct);
                        return keys.ToDictionary(k => k, k => (IReadOnlyList<Child>)[new Child(k, k * 10), new Child(k, k * 10 + 1)]);
                    });
                    return await loader.LoadAsync(((Parent)c.Parent!).Id);
                })))
            .Object("Child", o => o
                .Field("id", "Int!")
                .Field("label", "String!", f => f.ResolveAsync(async c =>
                {
                    var loader = c.BatchLoader<int, string>("labels", (keys, _) =>
                    {
                        grandchildFetches.Add(keys);
                        return ValueTask.FromResult<IReadOnlyDictionary<int, string>>(keys.ToDictionary(k => k, k => $"child {k}"));
                    });
                    return await loader.LoadAsync(((Child)c.Parent!).Id);
                })))
            .Build();

        var result = await RunAsync(schema, "{ parents { id children { id label } } }");

        Assert.Null(result["errors"]);
        Assert.Equal(50, result["data"]!["parents"]!.AsArray().Count);
        Assert.Equal("child 501", (string)result["data"]!["parents"]![49]!["children"]![1]!["label"]!);
        Assert.Single(childFetches);
        Assert.Equal(50, childFetches.Single().Count);
        Assert.Single(grandchildFetches);
        Assert.Equal(100, grandchildFetches.Single().Count);
    }

    [Fact]
    public async Task a_failing_batch_fails_only_the_fields_that_needed_it()
    {
        var schema = new SchemaBuilder()
            .Query(q => q
                .Field("items", "[Int!]!", _ => new[] { 1, 2 })
                .Field("ok", "String", _ => "fine"))
            .Build();
        var withLoader = new SchemaBuilder()
            .Query(q => q
                .Field("values", "[String]", f => f.ResolveAsync(async c =>
                {
                    var loader = c.BatchLoader<int, string>("broken", (_, _) => throw new GraphQLFieldException("store offline"));
                    return await Task.WhenAll(new[] { 1, 2 }.Select(k => loader.LoadAsync(k).AsTask()));
                }))
                .Field("ok", "String", _ => "fine"))
            .Build();
        Assert.Null((await RunAsync(schema, "{ items ok }"))["errors"]);
        var result = await RunAsync(withLoader, "{ values ok }");
        Assert.Equal("fine", (string)result["data"]!["ok"]!);
        Assert.Null(result["data"]!["values"]);
        Assert.Equal("store offline", (string)result["errors"]![0]!["message"]!);
    }

    [Fact]
    public async Task query_fields_resolve_concurrently()
    {
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        async Task<object?> Wait(ResolveContext context)
        {
            if (Interlocked.Increment(ref started) == 2)
            {
                bothStarted.SetResult();
            }
            // Serial execution would wait here forever (until the request's time limit).
            await bothStarted.Task.WaitAsync(context.CancellationToken);
            return context.ResponseKey;
        }
        var schema = new SchemaBuilder().Query(q => q.Field("slow", "String", f => f.ResolveAsync(Wait))).Build();
        var result = await RunAsync(schema, "{ a: slow b: slow }", new ExecutionOptions { Limits = RequestLimits.Default with { Timeout = TimeSpan.FromSeconds(20) } });
        Assert.Equal("""{"a":"a","b":"b"}""", result["data"]!.ToJsonString());
    }

    [Fact]
    public async Task mutation_fields_run_one_after_another_in_document_order()
    {
        var order = new ConcurrentQueue<string>();
        var schema = new SchemaBuilder()
            .Query(q => q.Field("x", "Int", _ => 1))
            .Mutation(m => m.Field("step", "String", f => f.Argument("name", "String!").Argument("delay", "Int!").ResolveAsync(async c =>
            {
                await Task.Delay((int)c.Arguments["delay"]!, c.CancellationToken);
                order.Enqueue((string)c.Arguments["name"]!);
                return (string)c.Arguments["name"]!;
            })))
            .Build();
        var result = await RunAsync(schema, """mutation { a: step(name: "a", delay: 30) b: step(name: "b", delay: 1) c: step(name: "c", delay: 10) }""");
        Assert.Equal("""{"a":"a","b":"b","c":"c"}""", result["data"]!.ToJsonString());
        Assert.Equal(["a", "b", "c"], order);
    }

    [Fact]
    public async Task the_time_limit_ends_the_request_and_cancels_its_resolvers()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var schema = new SchemaBuilder().Query(q => q.Field("forever", "String", f => f.ResolveAsync<object?>(async c =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, c.CancellationToken);
                return null;
            }
            finally
            {
                cancelled.TrySetResult();
            }
        }))).Build();
        var result = await RunAsync(schema, "{ forever }", new ExecutionOptions { Limits = RequestLimits.Default with { Timeout = TimeSpan.FromMilliseconds(50) } });
        Assert.Equal(ErrorCodes.Timeout, (string)result["errors"]![0]!["extensions"]!["code"]!);
        Assert.Null(result["data"]);
        await cancelled.Task.WaitAsync(Cancel);
    }

    [Fact]
    public async Task a_client_that_goes_away_cancels_execution()
    {
        using var client = new CancellationTokenSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var schema = new SchemaBuilder().Query(q => q.Field("forever", "String", f => f.ResolveAsync<object?>(async c =>
        {
            entered.SetResult();
            await Task.Delay(Timeout.Infinite, c.CancellationToken);
            return null;
        }))).Build();
        var running = new GraphQLEngine(schema).ExecuteAsync(new GraphQLRequest { Query = "{ forever }" }, null, client.Token);
        await entered.Task.WaitAsync(Cancel);
        await client.CancelAsync();
        var result = await running.WaitAsync(Cancel);
        Assert.Equal(ErrorCodes.Cancelled, result.Errors![0].Code);
    }

    [Fact]
    public async Task resolver_exceptions_are_masked_unless_details_are_asked_for()
    {
        var schema = new SchemaBuilder().Query(q => q
            .Field("boom", "String", _ => throw new InvalidOperationException("connection string leaked"))
            .Field("told", "String", _ => throw new GraphQLFieldException("not allowed", "FORBIDDEN"))).Build();
        var masked = await RunAsync(schema, "{ boom told }");
        Assert.Equal("Unexpected error resolving Query.boom.", (string)masked["errors"]![0]!["message"]!);
        Assert.Equal(ErrorCodes.InternalError, (string)masked["errors"]![0]!["extensions"]!["code"]!);
        Assert.Equal("not allowed", (string)masked["errors"]![1]!["message"]!);
        Assert.Equal("FORBIDDEN", (string)masked["errors"]![1]!["extensions"]!["code"]!);
        var detailed = await RunAsync(schema, "{ boom }", new ExecutionOptions { IncludeExceptionDetails = true });
        Assert.Equal("connection string leaked", (string)detailed["errors"]![0]!["message"]!);
    }

    [Fact]
    public async Task masked_resolver_failures_are_logged_with_their_real_exception()
    {
        var logger = new CapturingLogger();
        var schema = new SchemaBuilder().Query(q => q.Field("boom", "String", _ => throw new InvalidOperationException("disk full"))).Build();
        var engine = new GraphQLEngine(schema, new GraphQLEngineOptions { Logger = logger });
        var result = await engine.ExecuteAsync("{ boom }", cancellationToken: Cancel);
        Assert.Equal("Unexpected error resolving Query.boom.", result.Errors![0].Message);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(6001, entry.EventId);
        Assert.Equal("disk full", entry.Exception!.Message);
        Assert.Contains("Query.boom", entry.Message, StringComparison.Ordinal);
    }

    private sealed class CapturingLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<(int EventId, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => Entries.Add((eventId.Id, formatter(state, exception), exception));
    }

    [Fact]
    public async Task resolvers_see_the_selection_so_they_can_fetch_only_the_columns_asked_for()
    {
        IReadOnlyList<string>? columns = null;
        IReadOnlyList<string>? nested = null;
        object? nestedLimit = null;
        var schema = new SchemaBuilder()
            .Query(q => q.Field("stations", "[Station!]!", f => f.Resolve(c =>
            {
                columns = c.SelectedFields.Select(s => s.Name).ToList();
                var readings = c.SelectedFields.Single(s => s.Name == "readings");
                nested = readings.SelectedFields.Select(s => s.ResponseKey).ToList();
                nestedLimit = readings.Arguments["limit"];
                return new[] { new Dictionary<string, object?> { ["code"] = "A", ["name"] = "n", ["readings"] = Array.Empty<object>() } };
            })))
            .Object("Station", o => o
                .Field("code", "ID!")
                .Field("name", "String")
                .Field("depth", "Float")
                .Field("readings", "[Reading!]!", f => f.Argument("limit", "Int", 5)))
            .Object("Reading", o => o.Field("value", "Float").Field("at", "String"))
            .Build();
        var result = await RunAsync(schema, """
            query Q($skip: Boolean!) { stations { code ...Names readings(limit: 3) { v: value value } depth @skip(if: $skip) } }
            fragment Names on Station { name code }
            """, variables: new Dictionary<string, object?> { ["skip"] = true });
        Assert.Null(result["errors"]);
        Assert.Equal(["code", "name", "readings"], columns);
        Assert.Equal(["v", "value"], nested);
        Assert.Equal(3, nestedLimit);
    }

    [Fact]
    public async Task resolvers_see_the_user_services_and_request_items()
    {
        var services = new ServiceProviderStub(new Dictionary<Type, object> { [typeof(string)] = "from services" });
        var schema = new SchemaBuilder().Query(q => q
            .Field("who", "String", c => c.User?.Identity?.Name)
            .Field("service", "String", c => c.Services?.GetService(typeof(string)))
            .Field("item", "String", c => c.Request.Items["tenant"])).Build();
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "analyst")], "test"));
        var result = await RunAsync(schema, "{ who service item }", new ExecutionOptions
        {
            User = user,
            Services = services,
            Items = new Dictionary<string, object?> { ["tenant"] = "putian" },
        });
        Assert.Equal("""{"who":"analyst","service":"from services","item":"putian"}""", result["data"]!.ToJsonString());
    }

    private sealed class ServiceProviderStub(Dictionary<Type, object> services) : IServiceProvider
    {
        public object? GetService(Type serviceType) => services.GetValueOrDefault(serviceType);
    }

    [Fact]
    public async Task introspection_can_be_turned_off_per_request()
    {
        var schema = new SchemaBuilder().Query(q => q.Field("a", "Int", _ => 1)).Build();
        var off = await RunAsync(schema, "{ __schema { types { name } } }", new ExecutionOptions { AllowIntrospection = false });
        Assert.Equal(ErrorCodes.IntrospectionDisabled, (string)off["errors"]![0]!["extensions"]!["code"]!);
        var typename = await RunAsync(schema, "{ __typename a }", new ExecutionOptions { AllowIntrospection = false });
        Assert.Equal("""{"__typename":"Query","a":1}""", typename["data"]!.ToJsonString());
        var engine = new GraphQLEngine(schema, new GraphQLEngineOptions { AllowIntrospection = false });
        var byDefault = await engine.ExecuteAsync("{ __type(name: \"Query\") { name } }", cancellationToken: Cancel);
        Assert.Equal(ErrorCodes.IntrospectionDisabled, byDefault.Errors![0].Code);
    }

    [Fact]
    public async Task a_filtered_schema_hides_types_and_fields_from_introspection_and_queries()
    {
        var schema = new SchemaBuilder()
            .Query(q => q
                .Field("stations", "[Station!]!", _ => new[] { new Dictionary<string, object?> { ["name"] = "A", ["owner"] = "secret" } })
                .Field("audit", "AuditLog", _ => null))
            .Object("Station", o => o.Field("name", "String").Field("owner", "String", f => f.Metadata("sensitivity", "personal")))
            .Object("AuditLog", o => o.Field("entries", "[String]"))
            .Build();
        var publicView = schema.Filter(new SchemaFilter
        {
            Types = t => t.Name != "AuditLog",
            Fields = (_, f) => f.Metadata.GetValueOrDefault("sensitivity") as string != "personal",
        });
        var options = new ExecutionOptions { Schema = publicView };
        var introspection = await RunAsync(schema, "{ __type(name: \"Station\") { fields { name } } audit: __type(name: \"AuditLog\") { name } q: __type(name: \"Query\") { fields { name } } }", options);
        Assert.Equal("""{"__type":{"fields":[{"name":"name"}]},"audit":null,"q":{"fields":[{"name":"stations"}]}}""", introspection["data"]!.ToJsonString());
        var hidden = await RunAsync(schema, "{ stations { name owner } }", options);
        Assert.Equal("FieldsOnCorrectType", (string)hidden["errors"]![0]!["extensions"]!["rule"]!);
        var visible = await RunAsync(schema, "{ stations { name owner } }");
        Assert.Equal("secret", (string)visible["data"]!["stations"]![0]!["owner"]!);
    }

    [Fact]
    public async Task subscriptions_yield_one_result_per_event_and_survive_field_errors()
    {
        var schema = new SchemaBuilder()
            .Query(q => q.Field("a", "Int", _ => 1))
            .Subscription(s => s.Field("readings", "Reading!", f => f.Subscribe(_ => Events())))
            .Object("Reading", o => o
                .Field("value", "Float!")
                .Field("checked", "String", f => f.Resolve(c => (double)((IDictionary<string, object?>)c.Parent!)["value"]! < 0
                    ? throw new GraphQLFieldException("negative reading")
                    : "ok")))
            .Build();
        var result = await new GraphQLEngine(schema).ExecuteAsync("subscription { readings { value checked } }", cancellationToken: Cancel);
        Assert.NotNull(result.Stream);
        var events = new List<string>();
        await foreach (var item in result.Stream!.WithCancellation(Cancel))
        {
            events.Add(item.ToJson());
        }
        Assert.Equal(
        [
            """{"data":{"readings":{"value":1.5,"checked":"ok"}}}""",
            """{"errors":[{"message":"negative reading","locations":[{"line":1,"column":33}],"path":["readings","checked"]}],"data":{"readings":{"value":-2,"checked":null}}}""",
            """{"data":{"readings":{"value":3,"checked":"ok"}}}""",
        ], events);

        static async IAsyncEnumerable<object?> Events()
        {
            foreach (var value in new[] { 1.5, -2, 3 })
            {
                await Task.Yield();
                yield return new Dictionary<string, object?> { ["value"] = value };
            }
        }
    }

    [Fact]
    public async Task a_document_is_parsed_and_validated_once()
    {
        var schema = new SchemaBuilder().Query(q => q.Field("a", "Int", _ => 1)).Build();
        var engine = new GraphQLEngine(schema);
        var first = engine.Prepare("{ a }");
        var second = engine.Prepare("{ a }");
        Assert.Same(first, second);
        Assert.Equal(1, engine.CachedDocuments);
        var result = await engine.ExecuteAsync("{ a }", cancellationToken: Cancel);
        Assert.Equal("""{"data":{"a":1}}""", result.ToJson());
    }

    [Fact]
    public async Task variables_and_arguments_are_coerced_with_clear_errors()
    {
        var schema = new SchemaBuilder()
            .Query(q => q.Field("double", "Int", f => f.Argument("n", "Int!").Resolve(c => (int)c.Arguments["n"]! * 2)))
            .Build();
        var ok = await RunAsync(schema, "query($n: Int!) { double(n: $n) }", variables: new Dictionary<string, object?> { ["n"] = 21L });
        Assert.Equal(42, (int)ok["data"]!["double"]!);
        var bad = await RunAsync(schema, "query($n: Int!) { double(n: $n) }", variables: new Dictionary<string, object?> { ["n"] = "x" });
        Assert.Null(bad["data"]);
        Assert.Contains("$n", (string)bad["errors"]![0]!["message"]!, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.BadUserInput, (string)bad["errors"]![0]!["extensions"]!["code"]!);
    }
}
