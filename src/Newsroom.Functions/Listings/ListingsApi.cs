using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Http;
using Newsroom.Reading;

namespace Newsroom.Functions.Listings;

/// <summary>The category tree and the category and event listings.</summary>
public sealed class ListingsApi(ListingReader reader, HttpResults results)
{
    [Function(nameof(GetCategories))]
    public async Task<IActionResult> GetCategories(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "categories")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.PublicJson(await reader.GetCategoryTreeAsync(cancellationToken));

    [Function(nameof(GetCategoryArticles))]
    public async Task<IActionResult> GetCategoryArticles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "categories/{slug}/articles")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken) =>
        results.PublicOrMoved(req, slug, await reader.GetPageAsync(ListingKind.Category, slug, req.Query["limit"], req.Query["cursor"], cancellationToken));

    [Function(nameof(GetEventArticles))]
    public async Task<IActionResult> GetEventArticles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "events/{slug}/articles")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken) =>
        results.PublicOrMoved(req, slug, await reader.GetPageAsync(ListingKind.Event, slug, req.Query["limit"], req.Query["cursor"], cancellationToken));

    [Function(nameof(GetColumnArticles))]
    public async Task<IActionResult> GetColumnArticles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "columns/{slug}/articles")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken) =>
        results.PublicOrMoved(req, slug, await reader.GetPageAsync(ListingKind.Column, slug, req.Query["limit"], req.Query["cursor"], cancellationToken));
}
