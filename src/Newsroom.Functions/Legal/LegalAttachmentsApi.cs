using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Http;
using Newsroom.Identity;
using Newsroom.Legal;

namespace Newsroom.Functions.Legal;

/// <summary>A legal document's PDF: the desk attaches (PUT) or detaches (DELETE) it with If-Match; anyone downloads it.</summary>
public sealed class LegalAttachmentsApi(LegalAttachments attachments, DeskSignIn signIn, HttpResults results)
{
    [Function(nameof(AttachLegalPdf))]
    public async Task<IActionResult> AttachLegalPdf(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "articles/{id}/attachment")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var user = await signIn.UserAsync(req, cancellationToken);
        var input = await RequestJson.ReadAsync<LegalAttachmentInput>(req, allowEmpty: false, cancellationToken);
        var attached = await attachments.AttachAsync(user, id, input!, req.Headers.IfMatch.FirstOrDefault(), cancellationToken);
        return results.EditorJson(attached.Payload, attached.ETag);
    }

    [Function(nameof(DetachLegalPdf))]
    public async Task<IActionResult> DetachLegalPdf(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "articles/{id}/attachment")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var detached = await attachments.DetachAsync(await signIn.UserAsync(req, cancellationToken), id, req.Headers.IfMatch.FirstOrDefault(), cancellationToken);
        return results.EditorJson(detached.Payload, detached.ETag);
    }

    /// <summary>302 to a short-lived read-only address of the document's PDF; the redirect itself is never cached.</summary>
    [Function(nameof(DownloadLegalPdf))]
    public async Task<IActionResult> DownloadLegalPdf(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "legal-documents/{slug}/pdf")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken) =>
        HttpResults.TemporaryRedirect(await attachments.DownloadAsync(slug, cancellationToken));
}
