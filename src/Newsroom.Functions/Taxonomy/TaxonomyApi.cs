using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Http;
using Newsroom.Identity;
using Newsroom.Taxonomy;

namespace Newsroom.Functions.Taxonomy;

/// <summary>Sections, running stories and themed columns: anyone reads them; admins create and change them (Bearer token, If-Match).</summary>
public sealed class TaxonomyApi(TaxonomyEditor editor, DeskSignIn signIn, HttpResults results)
{
    [Function(nameof(GetCategory))]
    public async Task<IActionResult> GetCategory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "categories/{slug}")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken) =>
        Result(req, await editor.GetCategoryAsync(slug, cancellationToken));

    [Function(nameof(CreateCategory))]
    public async Task<IActionResult> CreateCategory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "categories")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var created = await signIn.WriteAsync<CategoryInput, TaxonResult>(req, (user, input) => editor.CreateCategoryAsync(user, input, cancellationToken), cancellationToken);
        return Created(req, created);
    }

    [Function(nameof(UpdateCategory))]
    public async Task<IActionResult> UpdateCategory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "categories/{slug}")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken)
    {
        var updated = await signIn.WriteAsync<CategoryInput, TaxonResult>(req, (user, input) =>
            editor.UpdateCategoryAsync(user, slug, input, req.Headers.IfMatch.FirstOrDefault(), cancellationToken), cancellationToken);
        return Result(req, updated);
    }

    [Function(nameof(GetEvents))]
    public async Task<IActionResult> GetEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "events")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.PublicJson(await editor.ListEventsAsync(cancellationToken));

    [Function(nameof(GetEvent))]
    public async Task<IActionResult> GetEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "events/{slug}")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken) =>
        Result(req, await editor.GetEventAsync(slug, cancellationToken));

    [Function(nameof(CreateEvent))]
    public async Task<IActionResult> CreateEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "events")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var created = await signIn.WriteAsync<EventInput, TaxonResult>(req, (user, input) => editor.CreateEventAsync(user, input, cancellationToken), cancellationToken);
        return Created(req, created);
    }

    [Function(nameof(UpdateEvent))]
    public async Task<IActionResult> UpdateEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "events/{slug}")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken)
    {
        var updated = await signIn.WriteAsync<EventInput, TaxonResult>(req, (user, input) =>
            editor.UpdateEventAsync(user, slug, input, req.Headers.IfMatch.FirstOrDefault(), cancellationToken), cancellationToken);
        return Result(req, updated);
    }

    [Function(nameof(GetColumns))]
    public async Task<IActionResult> GetColumns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "columns")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.PublicJson(await editor.ListColumnsAsync(cancellationToken));

    [Function(nameof(GetColumn))]
    public async Task<IActionResult> GetColumn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "columns/{slug}")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken) =>
        Result(req, await editor.GetColumnAsync(slug, cancellationToken));

    [Function(nameof(CreateColumn))]
    public async Task<IActionResult> CreateColumn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "columns")] HttpRequest req,
        CancellationToken cancellationToken) =>
        Created(req, await signIn.WriteAsync<ColumnInput, TaxonResult>(req, (user, input) => editor.CreateColumnAsync(user, input, cancellationToken), cancellationToken));

    [Function(nameof(UpdateColumn))]
    public async Task<IActionResult> UpdateColumn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "columns/{slug}")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken) =>
        Result(req, await signIn.WriteAsync<ColumnInput, TaxonResult>(req, (user, input) =>
            editor.UpdateColumnAsync(user, slug, input, req.Headers.IfMatch.FirstOrDefault(), cancellationToken), cancellationToken));

    /// <summary>201 with the new item's ETag and its address.</summary>
    private IActionResult Created(HttpRequest req, TaxonResult created) =>
        results.EditorJson(created.Payload!, created.ETag!, StatusCodes.Status201Created, $"{req.PathBase}{req.Path}/{created.Slug}");

    private IActionResult Result(HttpRequest req, TaxonResult result) =>
        result.MovedTo is { } current ? results.MovedPermanently(req, result.Slug, current) : results.EditorJson(result.Payload!, result.ETag!);
}
