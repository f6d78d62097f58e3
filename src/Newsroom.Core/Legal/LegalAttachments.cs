using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Desk;
using Newsroom.Identity;
using Newsroom.Storage;
using Newsroom.Text;
using Newsroom.Uploads;

namespace Newsroom.Legal;

/// <summary>
/// A legal document's PDF, through the same upload path as print issues: the desk asks for an upload address, the
/// browser PUTs the file straight to storage, and attaching it (If-Match, the rights to edit the article) checks it
/// where it lies (413, 415, 422, the file deleted), writes the article as its owner on it, and records it on the
/// document as an edit in its history. The file it replaces is deleted once the article no longer names it; one a
/// failed attach left behind is the sweep's (the article does not name it). Readers download through a redirect.
/// </summary>
public sealed class LegalAttachments(
    ArticleDesk desk,
    ArticleStore articles,
    PdfUploads uploads,
    Reading.ArticleReader reader,
    IOptions<StorageOptions> storage,
    TimeProvider time) : IUploadKeeper
{
    private const string OwnerPrefix = "article:";

    /// <summary>Attaches the uploaded PDF <paramref name="input"/> names to the legal document <paramref name="id"/>.</summary>
    public Task<DeskResult> AttachAsync(DeskUser user, string id, LegalAttachmentInput input, string? ifMatch, CancellationToken cancellationToken) =>
        StorageDeadline.RunAsync(TimeSpan.FromSeconds(storage.Value.UploadDeadlineSeconds), async token =>
        {
            if (!PdfUploads.IsId(input.UploadId))
            {
                throw new ValidationException("uploadId is required: the uploadId of POST /api/desk/uploads, after the PDF was PUT to its uploadUrl.")
                {
                    Errors = new Dictionary<string, string[]> { ["uploadId"] = ["Required: the uploadId of POST /api/desk/uploads."] },
                };
            }
            // Everything that can refuse without the file first: who may, which article, which version.
            var current = await CurrentAsync(id, ifMatch, token);
            DeskWorkflow.Check(DeskAction.Edit, current.Article, user, time.GetUtcNow());
            ArticleDesk.RequireLegal(current.Article);
            var pdf = await uploads.AcceptAsync(input.UploadId!, OwnerPrefix + id, token);
            var (result, before) = await desk.SetAttachmentAsync(user, id, new LegalAttachment(input.UploadId!, pdf.Bytes, pdf.Pages), ifMatch, token);
            await ForgetAsync(before, input.UploadId);
            return result;
        }, cancellationToken);

    /// <summary>Detaches the legal document's PDF and deletes the file.</summary>
    public async Task<DeskResult> DetachAsync(DeskUser user, string id, string? ifMatch, CancellationToken cancellationToken)
    {
        await CurrentAsync(id, ifMatch, cancellationToken);
        var (result, before) = await desk.SetAttachmentAsync(user, id, null, ifMatch, cancellationToken);
        await ForgetAsync(before, null);
        return result;
    }

    /// <summary>A short-lived read-only address of a public legal document's PDF, named after its number.</summary>
    public async Task<Uri> DownloadAsync(string slug, CancellationToken cancellationToken)
    {
        var lookup = await reader.GetAsync(slug, cancellationToken);
        if (lookup.MovedTo is { } moved)
        {
            lookup = await reader.GetAsync(moved, cancellationToken);
        }
        var document = lookup.Legal ?? throw new NotFoundException($"'{slug}' is an article, not a legal document. GET /api/legal-documents lists the documents.");
        var attachment = document.Attachment ?? throw new NotFoundException($"The document '{slug}' ({document.Number}) has no PDF attached; its text is at /api/legal-documents/{slug}.");
        return await uploads.DownloadUrlAsync(PdfUploads.BlobName(attachment.UploadId), (VietnameseText.Slugify(document.Number) is { Length: > 0 } name ? name : "van-ban") + ".pdf", cancellationToken);
    }

    /// <summary>An upload an article owns is kept while that article names it as its document's PDF.</summary>
    public async Task<bool> KeepsAsync(string uploadId, string? owner, CancellationToken cancellationToken) =>
        owner is not null && owner.StartsWith(OwnerPrefix, StringComparison.Ordinal)
        && await articles.GetAsync(owner[OwnerPrefix.Length..], cancellationToken) is { } stored
        && stored.Article.Legal?.Attachment?.UploadId == uploadId;

    private Task<StoredArticle> CurrentAsync(string id, string? ifMatch, CancellationToken cancellationToken) =>
        desk.LoadForWriteAsync(id, ifMatch, "Attaching or detaching a document's PDF", cancellationToken);

    /// <summary>Deletes the file an article no longer names (were this cut short, the sweep would).</summary>
    private Task ForgetAsync(LegalAttachment? before, string? now) =>
        before is not null && before.UploadId != now ? uploads.DeleteAsync(before.UploadId, CancellationToken.None) : Task.CompletedTask;
}

/// <summary>What the desk sends to attach a PDF: the id of the upload it PUT the file to.</summary>
public sealed record LegalAttachmentInput(string? UploadId);
