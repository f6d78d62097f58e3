using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Feeds;
using Newsroom.Http;
using Newsroom.Reading;

namespace Newsroom.Functions.Feeds;

/// <summary>RSS feeds and sitemaps: anonymous, cacheable, revalidated by ETag like every reader response.</summary>
public sealed class FeedsApi(RssFeeds feeds, Sitemaps sitemaps, HttpResults results)
{
    [Function(nameof(GetLatestFeed))]
    public async Task<IActionResult> GetLatestFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rss/latest")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.PublicJson(await feeds.LatestAsync(cancellationToken));

    [Function(nameof(GetCategoryFeed))]
    public async Task<IActionResult> GetCategoryFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rss/categories/{slug}")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken) =>
        results.PublicOrMoved(req, slug, await feeds.SectionAsync(ListingKind.Category, slug, cancellationToken));

    [Function(nameof(GetEventFeed))]
    public async Task<IActionResult> GetEventFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rss/events/{slug}")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken) =>
        results.PublicOrMoved(req, slug, await feeds.SectionAsync(ListingKind.Event, slug, cancellationToken));

    [Function(nameof(GetSitemapIndex))]
    public async Task<IActionResult> GetSitemapIndex(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "sitemaps")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.PublicJson(await sitemaps.IndexAsync(cancellationToken));

    [Function(nameof(GetNewsSitemap))]
    public async Task<IActionResult> GetNewsSitemap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "sitemaps/news")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.PublicJson(await sitemaps.NewsAsync(cancellationToken));

    [Function(nameof(GetSectionsSitemap))]
    public async Task<IActionResult> GetSectionsSitemap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "sitemaps/sections")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.PublicJson(await sitemaps.SectionsAsync(cancellationToken));

    [Function(nameof(GetMonthSitemap))]
    public async Task<IActionResult> GetMonthSitemap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "sitemaps/articles/{year}/{month}")] HttpRequest req,
        string year,
        string month,
        CancellationToken cancellationToken)
    {
        if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || !int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var m))
        {
            throw new NotFoundException($"'{year}/{month}' is not a month. Sitemaps of articles are at /api/sitemaps/articles/{{year}}/{{month}}, e.g. /api/sitemaps/articles/2026/11.");
        }
        var page = 1;
        if (req.Query.TryGetValue("page", out var raw) && !int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out page))
        {
            throw new BadRequestException($"page '{raw}' must be a whole number, 1 or more.");
        }
        return results.PublicJson(await sitemaps.MonthAsync(y, m, page, cancellationToken));
    }
}
