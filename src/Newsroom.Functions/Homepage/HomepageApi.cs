using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Homepage;
using Newsroom.Http;
using Newsroom.Identity;
using Newsroom.Json;

namespace Newsroom.Functions.Homepage;

/// <summary>The homepage for readers, and its layout for the desk (publishers pin).</summary>
public sealed class HomepageApi(HomepageReader reader, HomepageLayoutService layouts, DeskSignIn signIn, HttpResults results)
{
    [Function(nameof(GetHomepage))]
    public async Task<IActionResult> GetHomepage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "homepage")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.HomepageJson(await reader.GetAsync(cancellationToken));

    [Function(nameof(GetHomepageLayout))]
    public async Task<IActionResult> GetHomepageLayout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "homepage/layout")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var (layout, etag) = await layouts.GetAsync(await signIn.UserAsync(req, cancellationToken), cancellationToken);
        return results.EditorJson(JsonPayload.From(layout), etag);
    }

    [Function(nameof(PutHomepageLayout))]
    public async Task<IActionResult> PutHomepageLayout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "homepage/layout")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var user = await signIn.UserAsync(req, cancellationToken);
        var input = await RequestJson.ReadAsync<HomepageLayout>(req, allowEmpty: false, cancellationToken);
        var (layout, etag) = await layouts.SaveAsync(user, input, req.Headers.IfMatch.FirstOrDefault(), cancellationToken);
        return results.EditorJson(JsonPayload.From(layout), etag);
    }
}
