using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Newsroom.Functions.Http;
using Newsroom.IntegrationTests.Support;

namespace Newsroom.IntegrationTests.Wiring;

/// <summary>
/// What the Functions app's middleware answers, and logs, when an HTTP function throws: the caller's mistake
/// as its problem, Kestrel's own refusals as theirs, a reader who left as 499 at Information (no alert), and
/// anything else as a bare 500 logged as an error. The invocation is the worker's own: its InvocationResult,
/// its GetHttpContext, over a FunctionContext as the worker builds one.
/// </summary>
public sealed class ProblemDetailsMiddlewareTests
{
    private readonly CapturedLogs _logs = new(LogLevel.Information);
    private readonly ProblemDetailsMiddleware _middleware;

    public ProblemDetailsMiddlewareTests() => _middleware = new(_logs.For<ProblemDetailsMiddleware>());

    [Fact]
    public async Task A_reader_who_leaves_gets_499_logged_as_abandoned_not_as_a_failure()
    {
        using var left = new CancellationTokenSource();
        await left.CancelAsync();
        var invocation = new Invocation();
        invocation.Http.RequestAborted = left.Token;

        var response = await RunAsync(invocation, () => throw new TaskCanceledException("storage read cancelled", null, left.Token));

        Assert.Equal(StatusCodes.Status499ClientClosedRequest, response.Status);
        Assert.Equal("Client closed request", response.Title);
        var entry = Assert.Single(_logs.Entries);
        Assert.Equal((LogLevel.Information, "RequestAbandoned"), (entry.Level, entry.EventId.Name));
        Assert.Null(entry.Exception);
    }

    [Fact]
    public async Task A_host_cancelling_the_invocation_is_abandoned_too()
    {
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();
        var invocation = new Invocation { Cancellation = stopping.Token };

        var response = await RunAsync(invocation, () => throw new OperationCanceledException(stopping.Token));

        Assert.Equal(StatusCodes.Status499ClientClosedRequest, response.Status);
        Assert.Equal(LogLevel.Information, Assert.Single(_logs.Entries).Level);
    }

    [Fact]
    public async Task A_cancellation_nobody_asked_for_is_a_failure_of_ours()
    {
        // A timeout inside the function (an HttpClient's, a CancelAfter) while reader and host are still there.
        var response = await RunAsync(new Invocation(), () => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout"));

        Assert.Equal(StatusCodes.Status500InternalServerError, response.Status);
        Assert.DoesNotContain("HttpClient", response.Detail, StringComparison.Ordinal); // no internals in the reply
        var entry = Assert.Single(_logs.Entries);
        Assert.Equal((LogLevel.Error, "RequestFailed"), (entry.Level, entry.EventId.Name));
        Assert.IsType<TaskCanceledException>(entry.Exception);
    }

    [Fact]
    public async Task Kestrel_refusing_an_oversized_body_is_a_413_problem()
    {
        var response = await RunAsync(new Invocation(), () => throw new BadHttpRequestException("Request body too large. The max request body size is 104857600 bytes.", StatusCodes.Status413PayloadTooLarge));

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, response.Status);
        Assert.Equal("Payload too large", response.Title);
        Assert.Contains("104857600", response.Detail, StringComparison.Ordinal);
        var entry = Assert.Single(_logs.Entries);
        Assert.Equal((LogLevel.Information, "RequestRefused"), (entry.Level, entry.EventId.Name));
    }

    [Fact]
    public async Task A_caller_mistake_is_its_own_problem()
    {
        var response = await RunAsync(new Invocation(), () => throw new NotFoundException("No article is published at 'khong-co'."));

        Assert.Equal(StatusCodes.Status404NotFound, response.Status);
        Assert.Equal("No article is published at 'khong-co'.", response.Detail);
        Assert.Equal(LogLevel.Information, Assert.Single(_logs.Entries).Level);
    }

    [Fact]
    public async Task A_function_that_is_not_http_keeps_its_exception_for_the_host()
    {
        // Queue and timer functions: the host's retries and poison queue need the failure, not an answer.
        var invocation = new Invocation();
        invocation.Items.Clear();
        var thrown = new InvalidOperationException("the queue message names no photo");

        Assert.Same(thrown, await Assert.ThrowsAsync<InvalidOperationException>(() => _middleware.Invoke(invocation, _ => throw thrown)));
        Assert.Null(invocation.GetInvocationResult().Value);
        Assert.Empty(_logs.Entries);
    }

    private sealed record Answer(int Status, string Title, string Detail);

    /// <summary>Runs the middleware around a function that throws, then writes what it answered as the worker would.</summary>
    private async Task<Answer> RunAsync(Invocation invocation, Func<Task> function)
    {
        await _middleware.Invoke(invocation, _ => function());

        var result = Assert.IsAssignableFrom<IActionResult>(invocation.GetInvocationResult().Value);
        // Written to a context of its own: the invocation's may be aborted, and a write there would be cancelled.
        var http = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        await result.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));
        Assert.StartsWith("application/problem+json", http.Response.ContentType, StringComparison.Ordinal);
        http.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(http.Response.Body);
        var problem = body.RootElement;
        Assert.Equal(http.Response.StatusCode, problem.GetProperty("status").GetInt32());
        return new Answer(http.Response.StatusCode, problem.GetProperty("title").GetString()!, problem.GetProperty("detail").GetString()!);
    }

    /// <summary>
    /// A FunctionContext of an HTTP function as the worker makes one: the HttpContext under the key the
    /// ASP.NET Core integration reads, and the worker's own bindings feature (an internal interface, so
    /// served by a proxy) holding the invocation result.
    /// </summary>
    private sealed class Invocation : FunctionContext
    {
        private readonly Features _features = new();

        public Invocation()
        {
            Items = new Dictionary<object, object> { ["HttpRequestContext"] = Http };
            Bindings.Install(_features);
        }

        public DefaultHttpContext Http { get; } = new();

        public CancellationToken Cancellation { get; init; }

        public override string InvocationId => "00000000-0000-0000-0000-000000000001";

        public override string FunctionId => "GetArticle";

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = null!;

        public override FunctionDefinition FunctionDefinition { get; } = new Definition();

        public override IDictionary<object, object> Items { get; set; }

        public override IInvocationFeatures Features => _features;

        public override CancellationToken CancellationToken => Cancellation;
    }

    private sealed class Definition : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(ProblemDetailsMiddleware).Assembly.Location;

        public override string EntryPoint => "Newsroom.Functions.Articles.ArticlesApi.GetArticle";

        public override string Id => "GetArticle";

        public override string Name => "GetArticle";

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }

    private sealed class Features : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> _features = [];

        public T? Get<T>() => _features.TryGetValue(typeof(T), out var feature) ? (T)feature : default;

        public void Set<T>(T instance) => _features[typeof(T)] = instance!;

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => _features.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The worker's IFunctionBindingsFeature, answered by a proxy that keeps only the invocation result.</summary>
    public class Bindings : DispatchProxy
    {
        private static readonly Type Feature = typeof(FunctionContext).Assembly.GetTypes().Single(t => t.IsInterface && t.Name == "IFunctionBindingsFeature");

        private object? _result;

        public static void Install(IInvocationFeatures features)
        {
            var proxy = Create(Feature, typeof(Bindings));
            typeof(IInvocationFeatures).GetMethod(nameof(IInvocationFeatures.Set))!.MakeGenericMethod(Feature).Invoke(features, [proxy]);
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            "get_InvocationResult" => _result,
            "set_InvocationResult" => _result = args![0],
            _ => throw new NotSupportedException($"The test's bindings feature has no {targetMethod?.Name}."),
        };
    }
}
