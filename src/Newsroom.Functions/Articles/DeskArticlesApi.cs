using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Desk;
using Newsroom.Http;
using Newsroom.Identity;
using Newsroom.Publishing;

namespace Newsroom.Functions.Articles;

/// <summary>
/// The desk's article API. Anonymous to the host: every call signs in with an Entra ID access token
/// (Authorization: Bearer), validated by the app; the desk decides what the user's roles allow.
/// </summary>
public sealed class DeskArticlesApi(DeskSignIn signIn, ArticleDesk desk, HttpResults results)
{
    [Function(nameof(CreateArticle))]
    public async Task<IActionResult> CreateArticle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "articles")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var user = await signIn.UserAsync(req, cancellationToken);
        var input = await RequestJson.ReadAsync<ArticleInput>(req, allowEmpty: false, cancellationToken);
        var created = await desk.CreateAsync(user, input!, cancellationToken);
        return results.EditorJson(created.Payload, created.ETag, StatusCodes.Status201Created, $"{req.PathBase}{req.Path}/{created.Article.Id}/draft");
    }

    [Function(nameof(GetDraft))]
    public async Task<IActionResult> GetDraft(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "articles/{id}/draft")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var draft = await desk.GetAsync(await signIn.UserAsync(req, cancellationToken), id, cancellationToken);
        return results.EditorJson(draft.Payload, draft.ETag);
    }

    [Function(nameof(ReplaceArticle))]
    public async Task<IActionResult> ReplaceArticle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "articles/{id}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var user = await signIn.UserAsync(req, cancellationToken);
        var input = await RequestJson.ReadAsync<ArticleInput>(req, allowEmpty: false, cancellationToken);
        var replaced = await desk.ReplaceAsync(user, id, input!, req.Headers.IfMatch.FirstOrDefault(), cancellationToken);
        return results.EditorJson(replaced.Payload, replaced.ETag);
    }

    [Function(nameof(SubmitArticle))]
    public Task<IActionResult> SubmitArticle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "articles/{id}/submit")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        TransitionAsync(req, (user, ifMatch, note) => desk.SubmitAsync(user, id, ifMatch, note, cancellationToken), cancellationToken);

    [Function(nameof(ReturnArticle))]
    public Task<IActionResult> ReturnArticle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "articles/{id}/return")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        TransitionAsync(req, (user, ifMatch, note) => desk.ReturnAsync(user, id, ifMatch, note, cancellationToken), cancellationToken);

    [Function(nameof(ApproveArticle))]
    public Task<IActionResult> ApproveArticle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "articles/{id}/approve")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        TransitionAsync(req, (user, ifMatch, note) => desk.ApproveAsync(user, id, ifMatch, note, cancellationToken), cancellationToken);

    [Function(nameof(PublishArticle))]
    public async Task<IActionResult> PublishArticle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "articles/{id}/publish")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var user = await signIn.UserAsync(req, cancellationToken);
        var input = await RequestJson.ReadAsync<PublishInput>(req, allowEmpty: true, cancellationToken);
        return Result(await desk.PublishAsync(user, id, input?.PublishAt, req.Headers.IfMatch.FirstOrDefault(), input?.Note, cancellationToken));
    }

    [Function(nameof(UnpublishArticle))]
    public Task<IActionResult> UnpublishArticle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "articles/{id}/unpublish")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        TransitionAsync(req, (user, ifMatch, note) => desk.UnpublishAsync(user, id, ifMatch, note, cancellationToken), cancellationToken);

    [Function(nameof(CorrectArticle))]
    public async Task<IActionResult> CorrectArticle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "articles/{id}/corrections")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var user = await signIn.UserAsync(req, cancellationToken);
        var input = await RequestJson.ReadAsync<CorrectionInput>(req, allowEmpty: false, cancellationToken);
        return Result(await desk.CorrectAsync(user, id, input?.Text, req.Headers.IfMatch.FirstOrDefault(), cancellationToken));
    }

    [Function(nameof(GetArticleHistory))]
    public async Task<IActionResult> GetArticleHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "articles/{id}/history")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        results.EditorJson(await desk.HistoryAsync(await signIn.UserAsync(req, cancellationToken), id, cancellationToken));

    [Function(nameof(GetArticleRevision))]
    public async Task<IActionResult> GetArticleRevision(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "articles/{id}/revisions/{revision}")] HttpRequest req,
        string id,
        string revision,
        CancellationToken cancellationToken) =>
        results.EditorJson(await desk.RevisionAsync(await signIn.UserAsync(req, cancellationToken), id, revision, cancellationToken));

    [Function(nameof(PreviewArticle))]
    public async Task<IActionResult> PreviewArticle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "articles/{id}/preview")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        results.EditorJson(await desk.PreviewAsync(await signIn.UserAsync(req, cancellationToken), id, cancellationToken));

    [Function(nameof(ListDeskArticles))]
    public async Task<IActionResult> ListDeskArticles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "desk/articles")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.EditorJson(await desk.ListAsync(await signIn.UserAsync(req, cancellationToken),
            req.Query["state"], req.Query["author"], req.Query["limit"], req.Query["cursor"], cancellationToken));

    private IActionResult Result(DeskResult result) => results.EditorJson(result.Payload, result.ETag);

    /// <summary>Signs in, reads the optional <c>{ "note" }</c>, runs the transition (with the If-Match sent, if any).</summary>
    private async Task<IActionResult> TransitionAsync(HttpRequest req, Func<DeskUser, string?, string?, Task<DeskResult>> transition, CancellationToken cancellationToken)
    {
        var user = await signIn.UserAsync(req, cancellationToken);
        var input = await RequestJson.ReadAsync<TransitionInput>(req, allowEmpty: true, cancellationToken);
        return Result(await transition(user, req.Headers.IfMatch.FirstOrDefault(), input?.Note));
    }
}
