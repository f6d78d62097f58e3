using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Newsroom.Http;
using Newsroom.Json;
using Newsroom.Reading;

namespace Newsroom.UnitTests.Http;

public sealed class HttpResultsTests
{
    private static readonly JsonPayload Payload = JsonPayload.From(new { title = "Tin nóng" });
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));
    private readonly HttpResults _results;

    public HttpResultsTests() => _results = new(Options.Create(new ReaderOptions { MaxAgeSeconds = 30, StaleWhileRevalidateSeconds = 60, StaleIfErrorSeconds = 600 }),
        Options.Create(new Newsroom.Homepage.HomepageOptions()), _time);

    private static async Task<HttpContext> ExecuteAsync(IActionResult result, string method = "GET", string? ifNoneMatch = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Response.Body = new MemoryStream();
        if (ifNoneMatch is not null)
        {
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        }
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return context;
    }

    [Fact]
    public async Task A_200_carries_the_body_a_strong_etag_and_public_cache_control()
    {
        var context = await ExecuteAsync(_results.PublicJson(Payload));
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(Payload.ETag, context.Response.Headers.ETag.ToString());
        Assert.DoesNotContain("W/", context.Response.Headers.ETag.ToString(), StringComparison.Ordinal);
        Assert.Equal("public, max-age=30, stale-while-revalidate=60, stale-if-error=600", context.Response.Headers.CacheControl.ToString());
        Assert.Equal(Payload.Body, ((MemoryStream)context.Response.Body).ToArray());
    }

    [Theory]
    [InlineData(null, "public, max-age=30, stale-while-revalidate=60, stale-if-error=600")]
    [InlineData(3600, "public, max-age=30, stale-while-revalidate=60, stale-if-error=600")]
    [InlineData(630, "public, max-age=30, stale-while-revalidate=60, stale-if-error=600")]
    [InlineData(629, "public, max-age=30, stale-while-revalidate=0, stale-if-error=0")]
    [InlineData(12, "public, max-age=12, stale-while-revalidate=0, stale-if-error=0")]
    [InlineData(0, "public, max-age=0, stale-while-revalidate=0, stale-if-error=0")]
    public async Task Something_that_expires_is_never_cached_nor_served_stale_past_its_expiry(int? secondsLeft, string expected)
    {
        var until = secondsLeft is { } s ? _time.GetUtcNow().AddSeconds(s) : (DateTimeOffset?)null;
        var context = await ExecuteAsync(_results.PublicJson(Payload, until));
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(expected, context.Response.Headers.CacheControl.ToString());
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("W/{0}")]
    [InlineData("\"other\", {0}")]
    [InlineData("*")]
    public async Task If_none_match_with_the_current_etag_is_a_304_without_body(string header)
    {
        var context = await ExecuteAsync(_results.PublicJson(Payload), ifNoneMatch: string.Format(System.Globalization.CultureInfo.InvariantCulture, header, Payload.ETag));
        Assert.Equal(304, context.Response.StatusCode);
        Assert.Equal(0, context.Response.Body.Length);
        Assert.Equal(Payload.ETag, context.Response.Headers.ETag.ToString());
    }

    [Theory]
    [InlineData("\"stale\"")]
    [InlineData("garbage without quotes")]
    public async Task A_stale_or_malformed_if_none_match_gets_the_full_response(string header)
    {
        var context = await ExecuteAsync(_results.PublicJson(Payload), ifNoneMatch: header);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(Payload.Body.Length, context.Response.Body.Length);
    }

    [Fact]
    public async Task Head_gets_the_headers_without_the_body()
    {
        var context = await ExecuteAsync(_results.PublicJson(Payload), "HEAD");
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(Payload.Body.Length, context.Response.ContentLength);
        Assert.Equal(0, context.Response.Body.Length);
    }

    [Theory]
    [InlineData(typeof(NotFoundException), 404)]
    [InlineData(typeof(BadRequestException), 400)]
    [InlineData(typeof(ValidationException), 422)]
    [InlineData(typeof(ConflictException), 409)]
    [InlineData(typeof(PreconditionFailedException), 412)]
    [InlineData(typeof(PreconditionRequiredException), 428)]
    public async Task Each_domain_failure_maps_to_its_status_as_problem_json(Type kind, int status)
    {
        var exception = (NewsroomException)Activator.CreateInstance(kind, "Điều gì đó sai: hãy sửa trường title.")!;
        var context = await ExecuteAsync(Problems.From(exception));
        Assert.Equal(status, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        using var body = System.Text.Json.JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray());
        Assert.Equal(status, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Điều gì đó sai: hãy sửa trường title.", body.RootElement.GetProperty("detail").GetString());
    }
}
