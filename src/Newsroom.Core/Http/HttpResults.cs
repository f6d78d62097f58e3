using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Newsroom.Json;
using Newsroom.Reading;

namespace Newsroom.Http;

/// <summary>
/// Responses that write themselves straight to the ASP.NET Core response (no MVC formatters), so they
/// behave the same under the Functions host and the local host, and a cached body is written as is.
/// </summary>
public sealed class HttpResults(IOptions<ReaderOptions> options)
{
    private readonly string _publicCacheControl =
        $"public, max-age={options.Value.MaxAgeSeconds}, stale-while-revalidate={options.Value.StaleWhileRevalidateSeconds}, stale-if-error={options.Value.StaleIfErrorSeconds}";

    /// <summary>200 with the payload, or 304 when If-None-Match names its ETag; cacheable by anyone.</summary>
    public IActionResult PublicJson(JsonPayload payload) => new JsonPayloadResult(payload, _publicCacheControl);

    /// <summary>301 to where a resource now lives, cacheable like the resource.</summary>
    public IActionResult MovedPermanently(string location) => new MovedResult(location, _publicCacheControl);

    private sealed class JsonPayloadResult(JsonPayload payload, string cacheControl) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var request = context.HttpContext.Request;
            var response = context.HttpContext.Response;
            response.Headers.ETag = payload.ETag;
            response.Headers.CacheControl = cacheControl;
            response.Headers.Vary = HeaderNames.AcceptEncoding;
            if (Matches(request.Headers.IfNoneMatch, payload.ETag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = payload.Body.Length;
            if (!HttpMethods.IsHead(request.Method))
            {
                await response.Body.WriteAsync(payload.Body, context.HttpContext.RequestAborted);
            }
        }

        /// <summary>If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/"x" matches "x"; * matches anything.</summary>
        private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
        {
            if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
            {
                return false;
            }
            var current = new EntityTagHeaderValue(etag);
            return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
        }
    }

    private sealed class MovedResult(string location, string cacheControl) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = StatusCodes.Status301MovedPermanently;
            response.Headers.Location = location;
            response.Headers.CacheControl = cacheControl;
            return Task.CompletedTask;
        }
    }
}
