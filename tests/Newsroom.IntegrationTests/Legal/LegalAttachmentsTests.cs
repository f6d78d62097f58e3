using System.Net;
using System.Text.Json;
using Newsroom.Articles;
using Newsroom.Desk;
using Newsroom.IntegrationTests.Support;
using Newsroom.Legal;
using Newsroom.LocalHost.Demo;
using Newsroom.Publishing;
using Newsroom.Reading;
using Newsroom.Storage;
using Newsroom.Uploads;

namespace Newsroom.IntegrationTests.Legal;

/// <summary>
/// A legal document's PDF on real storage, through the print issues' upload path: the browser PUTs it with the SAS,
/// attaching it checks it and records it on the document (If-Match, edit rights), readers get its address on the
/// page and in listings and download it through a redirect; a replaced or detached file is deleted, a bad one is
/// refused with the problem named and nothing kept, and the sweep keeps exactly the attached files.
/// </summary>
public sealed class LegalAttachmentsTests : IAsyncLifetime
{
    private const long MaxBytes = 64 * 1024;
    private NewsroomTestHost _host = null!;

    private PublisherDesk Desk => new(_host.Get<ArticleDesk>());
    private LegalAttachments Attachments => _host.Get<LegalAttachments>();

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync(new Dictionary<string, string?> { ["Uploads:MaxPdfBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        // Storage checks a SAS's times against its own clock: the app's must be the real one here.
        _host.Time.SetUtcNow(DateTimeOffset.UtcNow);
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> UploadAsync(byte[] bytes) => await UploadBrowser.PutAsync(await _host.Get<PdfUploads>().StartAsync(CancellationToken.None), bytes);

    private async Task<bool> UploadedAsync(string uploadId) =>
        await _host.Get<StorageClients>().Container(StorageNames.UploadsContainerName).GetBlobClient(PdfUploads.BlobName(uploadId)).ExistsAsync();

    private async Task<DeskResult> PublishAsync(string title, LegalInput? legal)
    {
        var created = await Desk.CreateAsync(new ArticleInput
        {
            Title = title,
            Summary = title,
            Category = "thoi-su",
            Blocks = [new ParagraphBlock("Toàn văn đăng kèm theo.")],
            Legal = legal,
        }, CancellationToken.None);
        return await Desk.PublishAsync(created.Article.Id, null, null, CancellationToken.None);
    }

    private static LegalInput Decision => new("25/2026/QĐ-UBND", "Quyết định", "UBND tỉnh Thái Nguyên", new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.FromHours(7)), null);

    private async Task<JsonElement?> ReaderAttachmentAsync(string slug)
    {
        var page = JsonDocument.Parse((await _host.Get<LegalDocumentReader>().GetAsync(slug, CancellationToken.None)).Article!.Body).RootElement;
        return page.GetProperty("legal").TryGetProperty("attachment", out var attachment) ? attachment : null;
    }

    [Fact]
    public async Task A_document_gets_its_pdf_with_if_match_readers_download_it_and_a_replaced_or_detached_file_is_deleted()
    {
        var document = await PublishAsync("Giá dịch vụ trông giữ xe", Decision);
        var (id, slug) = (document.Article.Id, document.Article.Slug);
        var pdf = DemoPrint.Pdf("25/2026/QD-UBND", 2);
        var first = await UploadAsync(pdf);

        await Assert.ThrowsAsync<PreconditionRequiredException>(() => Attachments.AttachAsync(DeskUsers.Publisher, id, new(first), null, CancellationToken.None));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Attachments.AttachAsync(DeskUsers.Publisher, id, new(first), "\"stale\"", CancellationToken.None));
        await Assert.ThrowsAsync<ForbiddenException>(() => Attachments.AttachAsync(DeskUsers.Reporter, id, new(first), document.ETag, CancellationToken.None));
        var attached = await Attachments.AttachAsync(DeskUsers.Publisher, id, new(first), document.ETag, CancellationToken.None);
        Assert.Equal(new LegalAttachment(first, pdf.Length, 2), attached.Article.Legal!.Attachment);
        Assert.Contains("attached a PDF", System.Text.Encoding.UTF8.GetString((await _host.Get<ArticleDesk>().HistoryAsync(DeskUsers.Publisher, id, CancellationToken.None)).Body), StringComparison.Ordinal);

        // Readers: its address on the page and in the column's listing, a redirect to the file named after its number.
        var onPage = (await ReaderAttachmentAsync(slug))!.Value;
        Assert.Equal(($"/api/legal-documents/{slug}/pdf", 2, (long)pdf.Length), (onPage.GetProperty("url").GetString(), onPage.GetProperty("pages").GetInt32(), onPage.GetProperty("bytes").GetInt64()));
        var listed = JsonDocument.Parse((await _host.Get<LegalDocumentReader>().GetPageAsync(null, null, null, null, null, CancellationToken.None)).Body).RootElement;
        Assert.Equal($"/api/legal-documents/{slug}/pdf", listed.GetProperty("items")[0].GetProperty("legal").GetProperty("attachment").GetProperty("url").GetString());
        var download = await Attachments.DownloadAsync(slug, CancellationToken.None);
        Assert.Contains("sp=r", download.Query, StringComparison.Ordinal);
        using (var file = await UploadBrowser.Browser.GetAsync(download))
        {
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(pdf, await file.Content.ReadAsByteArrayAsync());
            Assert.Equal("25-2026-qd-ubnd.pdf", file.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        }

        // An edit of the document keeps its file; a new file replaces it and the old one is deleted.
        var edited = await Desk.ReplaceAsync(id, new ArticleInput
        {
            Title = "Giá dịch vụ trông giữ xe (sửa đổi)", Summary = "Sửa đổi", Category = "thoi-su", Blocks = [new ParagraphBlock("Toàn văn.")], Legal = Decision,
        }, attached.ETag, CancellationToken.None);
        Assert.Equal(first, edited.Article.Legal!.Attachment!.UploadId);
        var second = await UploadAsync(DemoPrint.Pdf("25/2026/QD-UBND ban sua", 3));
        var replaced = await Attachments.AttachAsync(DeskUsers.Publisher, id, new(second), edited.ETag, CancellationToken.None);
        Assert.Equal((second, 3), (replaced.Article.Legal!.Attachment!.UploadId, replaced.Article.Legal.Attachment.Pages));
        Assert.False(await UploadedAsync(first));

        // The sweep keeps the attached file and takes one nobody attached.
        var abandoned = await UploadAsync(DemoPrint.Pdf("Khong dung", 1));
        _host.Time.SetUtcNow(DateTimeOffset.UtcNow.AddHours(25));
        Assert.Equal(1, await _host.Get<PdfUploads>().SweepAsync(_host.Get<IEnumerable<IUploadKeeper>>(), CancellationToken.None));
        Assert.True(await UploadedAsync(second));
        Assert.False(await UploadedAsync(abandoned));

        // Detached: the file goes, readers see none, and the download answers 404.
        await Assert.ThrowsAsync<PreconditionRequiredException>(() => Attachments.DetachAsync(DeskUsers.Publisher, id, null, CancellationToken.None));
        var detached = await Attachments.DetachAsync(DeskUsers.Publisher, id, replaced.ETag, CancellationToken.None);
        Assert.Null(detached.Article.Legal!.Attachment);
        Assert.False(await UploadedAsync(second));
        Assert.Null(await ReaderAttachmentAsync(detached.Article.Slug)); // the edit renamed it; the old slug still leads to it
        await Assert.ThrowsAsync<NotFoundException>(() => Attachments.DownloadAsync(slug, CancellationToken.None));
    }

    [Fact]
    public async Task A_bad_file_or_an_article_that_is_no_document_is_refused_naming_the_problem_and_nothing_is_kept()
    {
        var document = await PublishAsync("Phòng, chống thiên tai", Decision);
        var id = document.Article.Id;

        var article = await PublishAsync("Tin thường", null);
        var kept = await UploadAsync(DemoPrint.Pdf("Van ban", 1));
        var notDocument = await Assert.ThrowsAsync<ValidationException>(() => Attachments.AttachAsync(DeskUsers.Publisher, article.Article.Id, new(kept), article.ETag, CancellationToken.None));
        Assert.Equal(["legal"], notDocument.Errors!.Keys);
        Assert.True(await UploadedAsync(kept)); // untouched: it can still be attached where it belongs
        await Assert.ThrowsAsync<NotFoundException>(() => Attachments.DownloadAsync(article.Article.Slug, CancellationToken.None));

        var noId = await Assert.ThrowsAsync<ValidationException>(() => Attachments.AttachAsync(DeskUsers.Publisher, id, new(null), document.ETag, CancellationToken.None));
        Assert.Equal(["uploadId"], noId.Errors!.Keys);

        var text = await UploadAsync("Đây không phải PDF"u8.ToArray());
        await Assert.ThrowsAsync<UnsupportedMediaTypeException>(() => Attachments.AttachAsync(DeskUsers.Publisher, id, new(text), document.ETag, CancellationToken.None));
        Assert.False(await UploadedAsync(text));

        var whole = DemoPrint.Pdf("Van ban", 3);
        var truncated = await UploadAsync(whole[..(whole.Length / 2)]);
        var damaged = await Assert.ThrowsAsync<ValidationException>(() => Attachments.AttachAsync(DeskUsers.Publisher, id, new(truncated), document.ETag, CancellationToken.None));
        Assert.Equal(["uploadId"], damaged.Errors!.Keys);
        Assert.False(await UploadedAsync(truncated));

        var padded = new byte[MaxBytes + 1];
        whole.CopyTo(padded, 0);
        var oversized = await UploadAsync(padded);
        await Assert.ThrowsAsync<PayloadTooLargeException>(() => Attachments.AttachAsync(DeskUsers.Publisher, id, new(oversized), document.ETag, CancellationToken.None));
        Assert.False(await UploadedAsync(oversized));

        // A print issue's PDF is not a document's.
        await _host.Get<StorageClients>().Container(StorageNames.UploadsContainerName).GetBlobClient(PdfUploads.BlobName(kept))
            .SetMetadataAsync(new Dictionary<string, string> { ["owner"] = "print" });
        await Assert.ThrowsAsync<ConflictException>(() => Attachments.AttachAsync(DeskUsers.Publisher, id, new(kept), document.ETag, CancellationToken.None));
        Assert.True(await UploadedAsync(kept));

        // Nothing of it reached the document.
        Assert.Null((await Desk.GetAsync(id, CancellationToken.None)).Article.Legal!.Attachment);
    }
}
