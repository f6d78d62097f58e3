using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Http;
using Newsroom.Reading;

namespace Newsroom.Functions.Articles;

/// <summary>The public article page.</summary>
public sealed class ArticlesApi(ArticleReader reader, HttpResults results)
{
    [Function(nameof(GetArticle))]
    public async Task<IActionResult> GetArticle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "articles/{slug}")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken) =>
        results.ArticleOrMoved(req, slug, await reader.GetAsync(slug, cancellationToken));
}
