using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Http;
using Newsroom.Identity;
using Newsroom.Json;
using Newsroom.Print;

namespace Newsroom.Functions.Print;

/// <summary>Print editions: anyone reads periodicals and issues and downloads an issue's PDF; the desk uploads and publishes them.</summary>
public sealed class PrintApi(PrintEditions print, DeskSignIn signIn, HttpResults results)
{
    [Function(nameof(GetPeriodicals))]
    public async Task<IActionResult> GetPeriodicals(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "periodicals")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.PublicJson(await print.PeriodicalsAsync(cancellationToken));

    /// <summary>Readers' search of the pages of print issues: each hit is a page, with its issue and page number.</summary>
    [Function(nameof(SearchPrintPages))]
    public async Task<IActionResult> SearchPrintPages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "search/print")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.PublicJson(await print.SearchAsync(
            req.Query["q"], req.Query["periodical"], req.Query["year"], req.Query["sort"], req.Query["limit"], req.Query["cursor"], cancellationToken));

    [Function(nameof(CreatePeriodical))]
    public async Task<IActionResult> CreatePeriodical(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "periodicals")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var created = JsonPayload.From(await signIn.WriteAsync<PeriodicalInput, Periodical>(req, (user, input) => print.CreatePeriodicalAsync(user, input, cancellationToken), cancellationToken));
        return results.EditorJson(created, created.ETag, StatusCodes.Status201Created, $"{req.PathBase}/api/periodicals");
    }

    /// <summary>The periodical for the desk, with the ETag a change sends as If-Match.</summary>
    [Function(nameof(GetDeskPeriodical))]
    public async Task<IActionResult> GetDeskPeriodical(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "desk/periodicals/{slug}")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken)
    {
        var periodical = await print.GetPeriodicalForDeskAsync(await signIn.UserAsync(req, cancellationToken), slug, cancellationToken);
        return results.EditorJson(JsonPayload.From(periodical.Periodical), periodical.ETag);
    }

    [Function(nameof(UpdatePeriodical))]
    public async Task<IActionResult> UpdatePeriodical(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "periodicals/{slug}")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken)
    {
        var updated = await signIn.WriteAsync<PeriodicalInput, PeriodicalResult>(req,
            (user, input) => print.UpdatePeriodicalAsync(user, slug, input, req.Headers.IfMatch.FirstOrDefault(), cancellationToken), cancellationToken);
        return results.EditorJson(JsonPayload.From(updated.Periodical), updated.ETag);
    }

    [Function(nameof(StartPrintUpload))]
    public async Task<IActionResult> StartPrintUpload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "print-issues/uploads")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var ticket = JsonPayload.From(await print.StartUploadAsync(await signIn.UserAsync(req, cancellationToken), cancellationToken));
        return results.EditorJson(ticket, ticket.ETag, StatusCodes.Status201Created, null);
    }

    [Function(nameof(PublishPrintIssue))]
    public async Task<IActionResult> PublishPrintIssue(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "print-issues")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var published = await signIn.WriteAsync<PrintIssueInput, PrintIssueResult>(req, (user, input) => print.PublishAsync(user, input, cancellationToken), cancellationToken);
        return results.EditorJson(JsonPayload.From(published.Issue), published.ETag, StatusCodes.Status201Created, $"{req.PathBase}/api/print-issues/{published.Issue.Id}");
    }

    /// <summary>The issue for the desk, with the ETag a correction or withdrawal sends as If-Match.</summary>
    [Function(nameof(GetDeskPrintIssue))]
    public async Task<IActionResult> GetDeskPrintIssue(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "desk/print-issues/{id}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var issue = await print.GetForDeskAsync(await signIn.UserAsync(req, cancellationToken), id, cancellationToken);
        return results.EditorJson(JsonPayload.From(issue.Issue), issue.ETag);
    }

    [Function(nameof(CorrectPrintIssue))]
    public async Task<IActionResult> CorrectPrintIssue(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "print-issues/{id}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var corrected = await signIn.WriteAsync<PrintIssueInput, PrintIssueResult>(req, (user, input) =>
            print.CorrectAsync(user, id, input, req.Headers.IfMatch.FirstOrDefault(), cancellationToken), cancellationToken);
        return results.EditorJson(JsonPayload.From(corrected.Issue), corrected.ETag);
    }

    [Function(nameof(WithdrawPrintIssue))]
    public async Task<IActionResult> WithdrawPrintIssue(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "print-issues/{id}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        await print.WithdrawAsync(await signIn.UserAsync(req, cancellationToken), id, req.Headers.IfMatch.FirstOrDefault(), cancellationToken);
        return HttpResults.NoContent();
    }

    [Function(nameof(GetPrintIssues))]
    public async Task<IActionResult> GetPrintIssues(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "print-issues")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.PublicJson(await print.ListAsync(req.Query["periodical"], req.Query["year"], req.Query["limit"], req.Query["cursor"], cancellationToken));

    [Function(nameof(GetPrintIssue))]
    public async Task<IActionResult> GetPrintIssue(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "print-issues/{id}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        results.PublicJson(await print.GetAsync(id, cancellationToken));

    /// <summary>302 to a short-lived read-only address of the PDF; the redirect itself is never cached.</summary>
    [Function(nameof(DownloadPrintIssue))]
    public async Task<IActionResult> DownloadPrintIssue(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "print-issues/{id}/pdf")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        HttpResults.TemporaryRedirect(await print.DownloadAsync(id, cancellationToken));
}
