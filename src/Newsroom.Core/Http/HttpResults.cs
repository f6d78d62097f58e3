using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Newsroom.Homepage;
using Newsroom.Json;
using Newsroom.Reading;

namespace Newsroom.Http;

/// <summary>
/// Responses that write themselves straight to the ASP.NET Core response (no MVC formatters), so they
/// behave the same under the Functions host and the local host, and a cached body is written as is.
/// </summary>
public sealed class HttpResults(IOptions<ReaderOptions> options, IOptions<HomepageOptions> homepage, TimeProvider time)
{
    private readonly string _publicCacheControl = CacheControl(options.Value.MaxAgeSeconds, options.Value.StaleWhileRevalidateSeconds, options.Value.StaleIfErrorSeconds);
    private readonly string _homepageCacheControl = CacheControl(homepage.Value.MaxAgeSeconds, homepage.Value.StaleWhileRevalidateSeconds, homepage.Value.StaleIfErrorSeconds);

    private static string CacheControl(int maxAge, int staleWhileRevalidate, int staleIfError) =>
        $"public, max-age={maxAge}, stale-while-revalidate={staleWhileRevalidate}, stale-if-error={staleIfError}";

    /// <summary>200 with the payload, or 304 when If-None-Match names its ETag; cacheable by anyone.</summary>
    public IActionResult PublicJson(JsonPayload payload) => new JsonPayloadResult(payload, payload.ETag, _publicCacheControl, StatusCodes.Status200OK, null);

    /// <summary>
    /// Like <see cref="PublicJson(JsonPayload)"/> for something readers may see only until <paramref name="until"/> (an
    /// article that expires): no cache keeps it past then, nor serves it stale after.
    /// </summary>
    public IActionResult PublicJson(JsonPayload payload, DateTimeOffset? until)
    {
        var left = until is { } end ? (end - time.GetUtcNow()).TotalSeconds : double.MaxValue;
        var o = options.Value;
        return left >= o.MaxAgeSeconds + Math.Max(o.StaleWhileRevalidateSeconds, o.StaleIfErrorSeconds)
            ? PublicJson(payload)
            : new JsonPayloadResult(payload, payload.ETag, CacheControl(Math.Min(o.MaxAgeSeconds, (int)Math.Max(0, left)), 0, 0), StatusCodes.Status200OK, null);
    }

    /// <summary>An article page: the article (cached no longer than it may be seen), or a 301 to the slug it has now.</summary>
    public IActionResult ArticleOrMoved(HttpRequest request, string slug, ArticleLookup lookup) =>
        lookup.MovedTo is { } current ? MovedPermanently(request, slug, current) : PublicJson(lookup.Article!, lookup.ExpireAt);

    /// <summary>The homepage: like <see cref="PublicJson"/> with the homepage's own freshness.</summary>
    public IActionResult HomepageJson(JsonPayload payload) => new JsonPayloadResult(payload, payload.ETag, _homepageCacheControl, StatusCodes.Status200OK, null);

    /// <summary>A resource that is still changing (a photo being processed): clients revalidate every time, cheaply.</summary>
    public IActionResult RevalidatedJson(JsonPayload payload) => new JsonPayloadResult(payload, payload.ETag, "no-cache", StatusCodes.Status200OK, null);

    /// <summary>An editor's resource: its version ETag (for If-Match), never stored by caches.</summary>
    public IActionResult EditorJson(JsonPayload payload, string etag, int status = StatusCodes.Status200OK, string? location = null) =>
        new JsonPayloadResult(payload, etag, "no-store", status, location);

    /// <summary>An editor's read-only view (history, a revision, a list): its content's ETag, never stored by caches.</summary>
    public IActionResult EditorJson(JsonPayload payload) => new JsonPayloadResult(payload, payload.ETag, "no-store", StatusCodes.Status200OK, null);

    /// <summary>204: done, nothing to say.</summary>
    public static IActionResult NoContent() => new StatusCodeResult(StatusCodes.Status204NoContent);

    /// <summary>A section's or running story's page (a listing, a feed): the page, or a 301 to the slug it moved to.</summary>
    public IActionResult PublicOrMoved(HttpRequest request, string slug, Reading.ListingLookup lookup) =>
        lookup.MovedTo is { } current ? MovedPermanently(request, slug, current) : PublicJson(lookup.Page!);

    /// <summary>302 to a short-lived address (a download SAS): never stored by caches, since the address expires.</summary>
    public static IActionResult TemporaryRedirect(Uri location) => new MovedResult(location.AbsoluteUri, "no-store", StatusCodes.Status302Found);

    /// <summary>301 to where a resource now lives, cacheable like the resource.</summary>
    public IActionResult MovedPermanently(string location) => new MovedResult(location, _publicCacheControl, StatusCodes.Status301MovedPermanently);

    /// <summary>
    /// 301 to the same path with the segment <paramref name="from"/> (an old slug) replaced by <paramref name="to"/>,
    /// query string kept: built from the request, so it holds whatever the route prefix is.
    /// </summary>
    public IActionResult MovedPermanently(HttpRequest request, string from, string to)
    {
        var segments = (request.PathBase + request.Path).Value!.Split('/');
        var at = Array.LastIndexOf(segments, Uri.EscapeDataString(from));
        if (at < 0)
        {
            at = Array.LastIndexOf(segments, from);
        }
        segments[at] = Uri.EscapeDataString(to);
        return MovedPermanently(string.Join('/', segments) + request.QueryString);
    }

    private sealed class JsonPayloadResult(JsonPayload payload, string etag, string cacheControl, int status, string? location) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var request = context.HttpContext.Request;
            var response = context.HttpContext.Response;
            // Each coding is a representation of its own, with its own entity tag (RFC 9110 §8.8.3).
            var (body, coding) = payload.Encoded(ContentCodings.Negotiate(request.Headers.AcceptEncoding));
            var representationTag = ContentCodings.ETag(etag, coding);
            response.Headers.ETag = representationTag;
            response.Headers.CacheControl = cacheControl;
            response.Headers.Vary = HeaderNames.AcceptEncoding;
            if (location is not null)
            {
                response.Headers.Location = location;
            }
            if (status == StatusCodes.Status200OK && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                && Matches(request.Headers.IfNoneMatch, representationTag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            response.StatusCode = status;
            response.ContentType = payload.ContentType;
            if (ContentCodings.HeaderValue(coding) is { } encoding)
            {
                response.Headers.ContentEncoding = encoding;
            }
            response.ContentLength = body.Length;
            if (!HttpMethods.IsHead(request.Method))
            {
                await response.Body.WriteAsync(body, context.HttpContext.RequestAborted);
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

    private sealed class MovedResult(string location, string cacheControl, int status) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = status;
            response.Headers.Location = location;
            response.Headers.CacheControl = cacheControl;
            return Task.CompletedTask;
        }
    }
}
