using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Newsroom.Http;

namespace Newsroom.LocalHost.Hosting;

/// <summary>Maps every HTTP-triggered function of functions.metadata to an ASP.NET Core endpoint.</summary>
public static partial class HttpTriggerEndpoints
{
    public static void MapHttpTriggers(this IEndpointRouteBuilder endpoints, IEnumerable<FunctionInvoker> functions, HostJson host)
    {
        foreach (var function in functions.Where(f => f.Metadata.Trigger.Type == "httpTrigger"))
        {
            var trigger = function.Metadata.Trigger;
            var route = string.Join('/', new[] { host.RoutePrefix, trigger.Get("route") ?? function.Name }.Where(s => !string.IsNullOrEmpty(s)));
            var methods = trigger.GetList("methods") is { Count: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToArray() : ["GET", "POST"];
            var needsKey = !string.Equals(trigger.Get("authLevel"), "Anonymous", StringComparison.OrdinalIgnoreCase);
            endpoints.MapMethods("/" + route, methods, context => InvokeAsync(context, function, needsKey))
                .WithDisplayName(function.Name);
        }
    }

    private static async Task InvokeAsync(HttpContext context, FunctionInvoker function, bool needsKey)
    {
        var services = context.RequestServices;
        IActionResult result;
        if (needsKey && !HasValidKey(context.Request, services.GetRequiredService<IOptions<LocalHostOptions>>().Value.FunctionKey))
        {
            result = Problems.Create(StatusCodes.Status401Unauthorized, "Unauthorized",
                "This function needs a function key: send it in the x-functions-key header (or ?code=).");
        }
        else
        {
            try
            {
                result = await function.InvokeAsync(services, new Invocation(context, null, context.RequestAborted)) as IActionResult
                    ?? new EmptyResult();
            }
            catch (NewsroomException e)
            {
                result = Problems.From(e);
            }
            catch (BadHttpRequestException e)
            {
                result = Problems.Create(e.StatusCode, "Bad request", e.Message);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                LocalHostLog.FunctionFailed(services.GetRequiredService<ILogger<FunctionInvoker>>(), e, function.Name);
                result = Problems.Unexpected();
            }
        }
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    private static bool HasValidKey(HttpRequest request, string key)
    {
        var given = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));
    }
}
