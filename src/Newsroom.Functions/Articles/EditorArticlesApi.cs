using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Http;
using Newsroom.Publishing;

namespace Newsroom.Functions.Articles;

/// <summary>The editors' article workflow. Function-key protected.</summary>
public sealed class EditorArticlesApi(EditorService editor, HttpResults results)
{
    [Function(nameof(CreateArticle))]
    public async Task<IActionResult> CreateArticle(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "articles")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var input = await RequestJson.ReadAsync<ArticleInput>(req, allowEmpty: false, cancellationToken);
        var created = await editor.CreateAsync(input!, cancellationToken);
        return results.EditorJson(created.Payload, created.ETag, StatusCodes.Status201Created, $"/api/articles/{created.Article.Id}/draft");
    }

    [Function(nameof(GetDraft))]
    public async Task<IActionResult> GetDraft(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "articles/{id}/draft")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var draft = await editor.GetAsync(id, cancellationToken);
        return results.EditorJson(draft.Payload, draft.ETag);
    }

    [Function(nameof(ReplaceArticle))]
    public async Task<IActionResult> ReplaceArticle(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "articles/{id}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var input = await RequestJson.ReadAsync<ArticleInput>(req, allowEmpty: false, cancellationToken);
        var replaced = await editor.ReplaceAsync(id, input!, req.Headers.IfMatch.FirstOrDefault(), cancellationToken);
        return results.EditorJson(replaced.Payload, replaced.ETag);
    }

    [Function(nameof(PublishArticle))]
    public async Task<IActionResult> PublishArticle(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "articles/{id}/publish")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var input = await RequestJson.ReadAsync<PublishInput>(req, allowEmpty: true, cancellationToken);
        var published = await editor.PublishAsync(id, input?.PublishAt, req.Headers.IfMatch.FirstOrDefault(), cancellationToken);
        return results.EditorJson(published.Payload, published.ETag);
    }

    [Function(nameof(UnpublishArticle))]
    public async Task<IActionResult> UnpublishArticle(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "articles/{id}/unpublish")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var unpublished = await editor.UnpublishAsync(id, req.Headers.IfMatch.FirstOrDefault(), cancellationToken);
        return results.EditorJson(unpublished.Payload, unpublished.ETag);
    }
}
