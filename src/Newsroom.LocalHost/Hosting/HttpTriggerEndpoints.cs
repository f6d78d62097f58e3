using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Newsroom.LocalHost.Worker;
using Newsroom.LocalHost.Worker.Rpc;
using Yarp.ReverseProxy.Forwarder;

namespace Newsroom.LocalHost.Hosting;

/// <summary>
/// The host's HTTP front door: one endpoint per HTTP-triggered function the worker reported, under host.json's
/// routePrefix. As the Functions host does with ASP.NET Core integration, it checks the function key where
/// the function wants one, forwards the request as it came (streamed, with an x-ms-invocation-id header) to
/// the worker's own Kestrel and sends the matching InvocationRequest over gRPC; the worker's pipeline, its
/// middleware included, writes the response. Refusals of the host itself are empty, as Azure's are.
/// </summary>
public static class HttpTriggerEndpoints
{
    private const string CorrelationHeader = "x-ms-invocation-id";

    private static readonly ForwarderRequestConfig ForwardingConfig = new() { ActivityTimeout = TimeSpan.FromSeconds(240) };

    public static void MapHttpTriggers(this IEndpointRouteBuilder endpoints, FunctionsWorker worker, HostJson host)
    {
        var client = new HttpMessageInvoker(new RetryConnectHandler(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        }));
        foreach (var function in worker.Functions.Where(f => f.Trigger.Type == "httpTrigger"))
        {
            var trigger = function.Trigger;
            var route = string.Join('/', new[] { host.RoutePrefix, trigger.Get("route") ?? function.Name }.Where(s => !string.IsNullOrEmpty(s)));
            var methods = trigger.GetList("methods").Select(m => m.ToUpperInvariant()).ToArray();
            var needsKey = !string.Equals(trigger.Get("authLevel"), "Anonymous", StringComparison.OrdinalIgnoreCase);
            RequestDelegate handler = context => InvokeAsync(context, worker, function, needsKey, client);
            (methods.Length == 0 ? endpoints.Map("/" + route, handler) : endpoints.MapMethods("/" + route, methods, handler))
                .WithDisplayName(function.Name);
        }
    }

    private static async Task InvokeAsync(HttpContext context, FunctionsWorker worker, FunctionMetadata function, bool needsKey, HttpMessageInvoker client)
    {
        var services = context.RequestServices;
        if (needsKey && !HasValidKey(context.Request, services.GetRequiredService<IOptions<LocalHostOptions>>().Value.FunctionKey))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var connection = await worker.ReadyAsync(context.RequestAborted);
        var invocationId = Guid.NewGuid().ToString();
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            InputData = { new ParameterBinding { Name = function.Trigger.Name, Data = new TypedData { Http = new RpcHttp() } } },
        };
        AddTriggerMetadata(request, context.Request);

        // Forwarding starts first, then the invocation: the worker pairs the two by the invocation id.
        var forwarder = services.GetRequiredService<IHttpForwarder>();
        var forwarding = forwarder.SendAsync(context, connection.HttpUri.ToString(), client, ForwardingConfig, new CorrelationTransformer(invocationId)).AsTask();
        InvocationResponse? response = null;
        Exception? failure = null;
        try
        {
            response = await worker.InvokeAsync(connection, request, context.RequestAborted);
        }
        catch (Exception e) when (e is WorkerUnavailableException or TimeoutException)
        {
            failure = e;
        }
        await forwarding;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpTriggerEndpoints));
        if (failure is not null || response?.Result.Status == StatusResult.Types.Status.Failure)
        {
            WorkerLog.InvocationFailed(log, function.Name, invocationId, failure?.Message ?? response!.Result.Exception?.Message ?? "failed");
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
    }

    /// <summary>What the host puts in an HTTP invocation's trigger metadata: route values and query parameters by name, and the query and headers.</summary>
    private static void AddTriggerMetadata(InvocationRequest request, HttpRequest http)
    {
        var metadata = request.TriggerMetadata;
        foreach (var (name, value) in http.Query.Where(q => !string.Equals(q.Key, "code", StringComparison.OrdinalIgnoreCase)))
        {
            metadata[name] = new TypedData { String = value.ToString() };
        }
        foreach (var (name, value) in http.RouteValues)
        {
            metadata[name] = new TypedData { String = value?.ToString() ?? "" };
        }
        metadata["Query"] = new TypedData { Json = JsonSerializer.Serialize(http.Query.ToDictionary(q => q.Key, q => q.Value.ToString())) };
        metadata["Headers"] = new TypedData { Json = JsonSerializer.Serialize(http.Headers.ToDictionary(h => h.Key, h => h.Value.ToString())) };
    }

    private static bool HasValidKey(HttpRequest request, string key)
    {
        var given = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));
    }

    /// <summary>YARP's default request transform (X-Forwarded-*, the original path and query) plus the correlation header.</summary>
    private sealed class CorrelationTransformer(string invocationId) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await Default.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.TryAddWithoutValidation(CorrelationHeader, invocationId);
        }
    }

    /// <summary>The worker's Kestrel may not be listening yet when it reports its address: retry refused connections briefly, as the host does.</summary>
    private sealed class RetryConnectHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var delay = TimeSpan.FromMilliseconds(50);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await base.SendAsync(request, cancellationToken);
                }
                catch (HttpRequestException e) when (attempt < 10 && e.HttpRequestError == HttpRequestError.ConnectionError)
                {
                    await Task.Delay(delay, cancellationToken);
                    delay = TimeSpan.FromMilliseconds(Math.Min(250, delay.TotalMilliseconds * 2));
                }
            }
        }
    }
}
