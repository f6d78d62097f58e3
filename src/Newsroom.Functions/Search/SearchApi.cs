using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Http;
using Newsroom.Identity;
using Newsroom.Search;

namespace Newsroom.Functions.Search;

/// <summary>Readers' search, and the administrators' full rebuild of the index from the tables.</summary>
public sealed class SearchApi(ArticleSearch search, DeskSignIn signIn, HttpResults results)
{
    [Function(nameof(Search))]
    public async Task<IActionResult> Search(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "search")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.PublicJson(await search.SearchAsync(
            req.Query["q"], req.Query["category"], req.Query["event"], req.Query["from"], req.Query["to"],
            req.Query["sort"], req.Query["limit"], req.Query["cursor"], cancellationToken));

    [Function(nameof(RebuildSearchIndex))]
    public async Task<IActionResult> RebuildSearchIndex(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "search/rebuild")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        (await signIn.UserAsync(req, cancellationToken)).Require(DeskRole.Admin, "rebuild the search index");
        var indexed = await search.RebuildAsync(cancellationToken);
        return results.EditorJson(Newsroom.Json.JsonPayload.From(new { indexed }));
    }
}
