using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Http;
using Newsroom.Identity;
using Newsroom.Json;
using Newsroom.Uploads;

namespace Newsroom.Functions.Uploads;

/// <summary>An address the desk's browser PUTs a PDF to (a legal document's; print issues have their own, for editors).</summary>
public sealed class UploadsApi(PdfUploads uploads, DeskSignIn signIn, HttpResults results)
{
    [Function(nameof(StartPdfUpload))]
    public async Task<IActionResult> StartPdfUpload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "desk/uploads")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        (await signIn.UserAsync(req, cancellationToken)).Require(DeskRole.Reporter, "upload a PDF");
        var ticket = JsonPayload.From(await uploads.StartAsync(cancellationToken));
        return results.EditorJson(ticket, ticket.ETag, StatusCodes.Status201Created, null);
    }
}
