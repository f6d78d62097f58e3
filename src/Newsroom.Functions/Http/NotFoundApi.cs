using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Http;

namespace Newsroom.Functions.Http;

/// <summary>
/// Every request under the route prefix that no other function takes (route precedence puts a catch-all
/// last): a problem+json 404 that says where the API is, or a 405 with Allow when the path exists for other
/// methods, instead of the host's empty 404.
/// </summary>
public sealed class NotFoundApi(EndpointDataSource endpoints)
{
    [Function(nameof(NotFound))]
    public IActionResult NotFound(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", "put", "patch", "delete", Route = "{*path}")] HttpRequest req)
    {
        var allowed = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.DisplayName != nameof(NotFound) && Matches(e.RoutePattern.RawText, req.Path))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            .Select(m => m.ToUpperInvariant())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (allowed.Count == 0)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "Not found", $"There is no API at {req.Path}; see the API in the README.");
        }
        req.HttpContext.Response.Headers.Allow = string.Join(", ", allowed);
        return Problems.Create(StatusCodes.Status405MethodNotAllowed, "Method not allowed",
            $"{req.Method} is not supported on {req.Path}; use {string.Join(" or ", allowed)}.");
    }

    private static bool Matches(string? template, PathString path) =>
        template is not null && new TemplateMatcher(TemplateParser.Parse(template), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary());
}
