using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Http;
using Newsroom.Legal;

namespace Newsroom.Functions.Legal;

/// <summary>The legal-documents column ("Văn bản pháp luật"): anyone reads it; documents are written at the desk as articles.</summary>
public sealed class LegalDocumentsApi(LegalDocumentReader reader, HttpResults results)
{
    [Function(nameof(GetLegalDocuments))]
    public async Task<IActionResult> GetLegalDocuments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "legal-documents")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.PublicJson(await reader.GetPageAsync(req.Query["type"], req.Query["issuer"], req.Query["year"], req.Query["limit"], req.Query["cursor"], cancellationToken));

    [Function(nameof(GetLegalDocument))]
    public async Task<IActionResult> GetLegalDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "legal-documents/{slug}")] HttpRequest req,
        string slug,
        CancellationToken cancellationToken) =>
        results.ArticleOrMoved(req, slug, await reader.GetAsync(slug, cancellationToken));
}
