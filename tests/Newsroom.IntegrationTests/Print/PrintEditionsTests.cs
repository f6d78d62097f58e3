using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Newsroom.Homepage;
using Newsroom.IntegrationTests.Support;
using Newsroom.LocalHost.Demo;
using Newsroom.Print;
using Newsroom.Storage;
using Newsroom.Uploads;

namespace Newsroom.IntegrationTests.Print;

/// <summary>
/// Print editions on real storage: the PDF goes from the "browser" straight to Azurite through the SAS the API
/// hands out, is checked when the issue is published (size, bytes, a strict parse of every page), and a bad or
/// oversized file is refused with nothing kept; issues are listed by periodical and year, downloaded through a
/// short-lived address, and the homepage shows the newest of each periodical.
/// </summary>
public sealed class PrintEditionsTests : IAsyncLifetime
{
    private const long MaxBytes = 64 * 1024;
    private NewsroomTestHost _host = null!;

    private PrintEditions Print => _host.Get<PrintEditions>();

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync(new Dictionary<string, string?> { ["Uploads:MaxPdfBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        // Storage checks a SAS's times against its own clock: the app's must be the real one here.
        _host.Time.SetUtcNow(DateTimeOffset.UtcNow);
        await Print.CreatePeriodicalAsync(DeskUsers.Admin, new PeriodicalInput("Báo Hằng tháng", Order: 1), CancellationToken.None);
        await Print.CreatePeriodicalAsync(DeskUsers.Admin, new PeriodicalInput("Số báo đặc biệt", Order: 2), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Asks for an upload address and PUTs the bytes to it, as the editors' front end does.</summary>
    private async Task<string> UploadAsync(byte[] bytes) => await UploadBrowser.PutAsync(await Print.StartUploadAsync(DeskUsers.Editor, CancellationToken.None), bytes);

    private static PrintIssueInput Issue(string uploadId, string number = "Số 122", string issuedOn = "2026-11", string periodical = "bao-hang-thang") =>
        new(periodical, number, $"{number}/Tháng 11 năm 2026 – Báo Hằng tháng", PrintIssueKind.Regular, issuedOn, null, uploadId);

    private async Task<bool> UploadedAsync(string uploadId) =>
        await _host.Get<StorageClients>().Container(StorageNames.UploadsContainerName).GetBlobClient(PdfUploads.BlobName(uploadId)).ExistsAsync();

    private async Task<string[]> NumbersAsync(string? periodical = null, string? year = null) =>
        [.. JsonDocument.Parse((await Print.ListAsync(periodical, year, null, null, CancellationToken.None)).Body).RootElement
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()!)];

    [Fact]
    public async Task An_issue_uploaded_through_the_sas_is_checked_published_listed_downloaded_and_on_the_homepage()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => Print.StartUploadAsync(DeskUsers.Reporter, CancellationToken.None));
        var ticket = await Print.StartUploadAsync(DeskUsers.Editor, CancellationToken.None);
        Assert.Contains("sp=cw", ticket.UploadUrl.Query, StringComparison.Ordinal); // create and write, nothing else
        Assert.Equal(MaxBytes, ticket.MaxBytes);

        var pdf = DemoPrint.Pdf("Bao Hang thang 11/2026", 6);
        var november = await UploadAsync(pdf);
        await Assert.ThrowsAsync<ForbiddenException>(() => Print.PublishAsync(DeskUsers.Editor, Issue(november), CancellationToken.None));
        var published = (await Print.PublishAsync(DeskUsers.Publisher, Issue(november), CancellationToken.None)).Issue;
        Assert.Equal((november, 6, (long)pdf.Length, "2026-11", "Báo Hằng tháng"), (published.Id, published.Pdf.Pages, published.Pdf.Bytes, published.IssuedOn, published.Periodical.Name));
        var again = await Assert.ThrowsAsync<ConflictException>(() => Print.PublishAsync(DeskUsers.Publisher, Issue(november, "Số 999"), CancellationToken.None));
        Assert.Contains("already published", again.Message, StringComparison.Ordinal);
        Assert.True(await UploadedAsync(november)); // the published issue's file stays

        var october = await UploadAsync(DemoPrint.Pdf("Bao Hang thang 10/2026", 4));
        await Print.PublishAsync(DeskUsers.Publisher, Issue(october, "Số 121", "2026-10"), CancellationToken.None);
        var tet = await UploadAsync(DemoPrint.Pdf("Bao Tet 2026", 12));
        await Print.PublishAsync(DeskUsers.Publisher, Issue(tet, "Số Tết", "2026-01-01", "so-bao-dac-biet") with { Kind = PrintIssueKind.Special }, CancellationToken.None);
        var old = await UploadAsync(DemoPrint.Pdf("Bao Hang thang 12/2025", 2));
        await Print.PublishAsync(DeskUsers.Publisher, Issue(old, "Số 110", "2025-12"), CancellationToken.None);

        Assert.Equal(["Số 122", "Số 121", "Số Tết", "Số 110"], await NumbersAsync());
        Assert.Equal(["Số 122", "Số 121", "Số 110"], await NumbersAsync("bao-hang-thang"));
        Assert.Equal(["Số 122", "Số 121", "Số Tết"], await NumbersAsync(year: "2026"));
        Assert.Equal(["Số 110"], await NumbersAsync("bao-hang-thang", "2025"));
        var first = JsonDocument.Parse((await Print.ListAsync("bao-hang-thang", null, "2", null, CancellationToken.None)).Body).RootElement;
        var next = first.GetProperty("nextCursor").GetString();
        var rest = JsonDocument.Parse((await Print.ListAsync("bao-hang-thang", null, "2", next, CancellationToken.None)).Body).RootElement;
        Assert.Equal(["Số 110"], rest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()));
        await Assert.ThrowsAsync<BadRequestException>(() => Print.ListAsync("so-bao-dac-biet", null, "2", next, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => Print.ListAsync("khong-co", null, null, null, CancellationToken.None));
        await Assert.ThrowsAsync<BadRequestException>(() => Print.ListAsync(null, "20x6", null, null, CancellationToken.None));

        // The download address is read-only, short-lived, and names the file.
        var download = await Print.DownloadAsync(november, CancellationToken.None);
        Assert.Contains("sp=r", download.Query, StringComparison.Ordinal);
        using (var file = await UploadBrowser.Browser.GetAsync(download))
        {
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(pdf, await file.Content.ReadAsByteArrayAsync());
            Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        }
        await Assert.ThrowsAsync<NotFoundException>(() => Print.DownloadAsync("khong-co", CancellationToken.None));

        await _host.Get<HomepagePublisher>().RebuildAsync(CancellationToken.None);
        var homepage = JsonDocument.Parse((await _host.Get<HomepageStore>().GetSnapshotAsync(CancellationToken.None))!.Body).RootElement;
        Assert.Equal(["Số 122", "Số Tết"], homepage.GetProperty("printIssues").EnumerateArray().Select(i => i.GetProperty("number").GetString()));
        Assert.Equal($"/api/print-issues/{november}/pdf", homepage.GetProperty("printIssues")[0].GetProperty("pdf").GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_file_that_is_not_a_pdf_is_truncated_or_too_large_is_refused_saying_why_and_deleted()
    {
        var png = await UploadAsync([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 13]);
        var notPdf = await Assert.ThrowsAsync<UnsupportedMediaTypeException>(() => Print.PublishAsync(DeskUsers.Publisher, Issue(png), CancellationToken.None));
        Assert.Contains("not a PDF", notPdf.Message, StringComparison.Ordinal);
        Assert.False(await UploadedAsync(png));

        var whole = DemoPrint.Pdf("Bao Hang thang", 3);
        var truncated = await UploadAsync(whole[..(whole.Length / 2)]);
        var damaged = await Assert.ThrowsAsync<ValidationException>(() => Print.PublishAsync(DeskUsers.Publisher, Issue(truncated), CancellationToken.None));
        Assert.Contains("truncated or damaged", damaged.Message, StringComparison.Ordinal);
        Assert.Equal(["uploadId"], damaged.Errors!.Keys);
        Assert.False(await UploadedAsync(truncated));

        var padded = new byte[MaxBytes + 1];
        whole.CopyTo(padded, 0);
        var oversized = await UploadAsync(padded);
        var tooLarge = await Assert.ThrowsAsync<PayloadTooLargeException>(() => Print.PublishAsync(DeskUsers.Publisher, Issue(oversized), CancellationToken.None));
        Assert.Contains($"at most {MaxBytes:N0} bytes", tooLarge.Message, StringComparison.Ordinal);
        Assert.False(await UploadedAsync(oversized));

        var missing = await Assert.ThrowsAsync<ValidationException>(() => Print.PublishAsync(DeskUsers.Publisher, Issue("u-chua-tai-len"), CancellationToken.None));
        Assert.Contains("No file has been uploaded", missing.Message, StringComparison.Ordinal);
        Assert.Empty(await NumbersAsync());
    }

    [Fact]
    public async Task Bad_details_are_refused_naming_each_field_before_the_file_is_touched_and_the_sweep_removes_abandoned_uploads_only()
    {
        var upload = await UploadAsync(DemoPrint.Pdf("Bao", 1));
        var e = await Assert.ThrowsAsync<ValidationException>(() => Print.PublishAsync(DeskUsers.Publisher,
            new PrintIssueInput("khong-co", " ", null, null, "2026-13", new Articles.PhotoRef("p-khong-co"), "KHONG HOP LE"), CancellationToken.None));
        Assert.Equal(["cover.photoId", "issuedOn", "number", "periodical", "title", "uploadId"], e.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.True(await UploadedAsync(upload)); // untouched: the publisher fixes the details and sends again

        var kept = await UploadAsync(DemoPrint.Pdf("Bao", 2));
        await Print.PublishAsync(DeskUsers.Publisher, Issue(kept), CancellationToken.None);
        // Blobs carry the real time they were written; the sweep's clock is the fake one: move it well past them.
        _host.Time.SetUtcNow(DateTimeOffset.UtcNow.AddHours(25));
        Assert.Equal(1, await _host.Get<PdfUploads>().SweepAsync(_host.Get<IEnumerable<IUploadKeeper>>(), CancellationToken.None));
        Assert.False(await UploadedAsync(upload));
        Assert.True(await UploadedAsync(kept));
    }

    [Fact]
    public async Task A_publisher_corrects_an_issue_with_if_match_which_moves_it_between_listings_and_withdraws_it_with_its_file()
    {
        var upload = await UploadAsync(DemoPrint.Pdf("Bao Hang thang", 2));
        var published = await Print.PublishAsync(DeskUsers.Publisher, Issue(upload, "Số 12", "2025-12"), CancellationToken.None);
        Assert.Equal(["Số 12"], await NumbersAsync(year: "2025"));

        await Assert.ThrowsAsync<PreconditionRequiredException>(() => Print.CorrectAsync(DeskUsers.Publisher, upload, Issue(upload, "Số 1", "2026-01"), null, CancellationToken.None));
        await Assert.ThrowsAsync<ForbiddenException>(() => Print.CorrectAsync(DeskUsers.Editor, upload, Issue(upload, "Số 1", "2026-01"), published.ETag, CancellationToken.None));
        var corrected = await Print.CorrectAsync(DeskUsers.Publisher, upload, Issue(upload, "Số 1", "2026-01"), published.ETag, CancellationToken.None);
        Assert.Equal(("Số 1", "2026-01", 2), (corrected.Issue.Number, corrected.Issue.IssuedOn, corrected.Issue.Pdf.Pages));
        Assert.Empty(await NumbersAsync(year: "2025"));
        Assert.Equal(["Số 1"], await NumbersAsync("bao-hang-thang", "2026"));
        Assert.Equal(["Số 1"], await NumbersAsync());
        Assert.Equal(corrected.ETag, (await Print.GetForDeskAsync(DeskUsers.Reporter, upload, CancellationToken.None)).ETag);

        // The ETag it was published with is stale now: nothing changes.
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Print.CorrectAsync(DeskUsers.Publisher, upload, Issue(upload, "Số 2"), published.ETag, CancellationToken.None));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Print.WithdrawAsync(DeskUsers.Publisher, upload, published.ETag, CancellationToken.None));
        Assert.Equal(["Số 1"], await NumbersAsync());

        await Print.WithdrawAsync(DeskUsers.Publisher, upload, corrected.ETag, CancellationToken.None);
        Assert.Empty(await NumbersAsync());
        Assert.Empty(await NumbersAsync("bao-hang-thang", "2026"));
        Assert.False(await UploadedAsync(upload));
        await Assert.ThrowsAsync<NotFoundException>(() => Print.GetAsync(upload, CancellationToken.None));
    }

    /// <summary>The hits of a print search as (issue, page), with each hit's highlighted words as the snippet shows them.</summary>
    private async Task<(string Issue, int Page, string[] Marked)[]> PagesAsync(string q, string? periodical = null, string? year = null)
    {
        var page = JsonDocument.Parse((await Print.SearchAsync(q, periodical, year, null, null, null, CancellationToken.None)).Body).RootElement;
        return [.. page.GetProperty("items").EnumerateArray().Select(i =>
        {
            var snippet = i.GetProperty("snippet").GetString()!;
            var marked = i.GetProperty("snippetHighlights").EnumerateArray()
                .Select(r => snippet.Substring(r.GetProperty("start").GetInt32(), r.GetProperty("length").GetInt32())).ToArray();
            return (i.GetProperty("issue").GetProperty("id").GetString()!, i.GetProperty("page").GetInt32(), marked);
        })];
    }

    [Fact]
    public async Task The_pages_of_an_issue_are_found_by_their_text_with_their_number_follow_corrections_survive_a_rebuild_and_leave_with_the_issue()
    {
        var upload = await UploadAsync(DemoPrint.Pdf("Bao Hang thang", 4, page => page == 3
            ? ["Hoi nghi tong ket cong tac dan van", "Khoi dan van Tinh uy"]
            : ["Tin tuc dia phuong"]));
        var published = await Print.PublishAsync(DeskUsers.Publisher, Issue(upload), CancellationToken.None);

        // Typed with or without its marks; the page number comes with the issue as readers get it.
        var hit = Assert.Single(await PagesAsync("dân vận"));
        Assert.Equal((upload, 3), (hit.Issue, hit.Page));
        Assert.Contains("dan van", hit.Marked.Select(m => m.ToLowerInvariant()));
        Assert.Equal([(upload, 3)], (await PagesAsync("\"dan van\" tinh uy")).Select(h => (h.Issue, h.Page)));
        Assert.Equal([(upload, 3)], (await PagesAsync("dân vận", "bao-hang-thang", "2026")).Select(h => (h.Issue, h.Page)));
        Assert.Empty(await PagesAsync("dân vận", "so-bao-dac-biet"));
        Assert.Empty(await PagesAsync("dân vận", year: "2025"));
        await Assert.ThrowsAsync<BadRequestException>(() => PagesAsync("dân vận", "khong-co"));
        await Assert.ThrowsAsync<BadRequestException>(() => PagesAsync("d"));
        // Articles' search does not answer with print pages, nor print search with articles.
        var articles = JsonDocument.Parse((await _host.Get<Newsroom.Search.ArticleSearch>().SearchAsync("dân vận", null, null, null, null, null, null, null, CancellationToken.None)).Body).RootElement;
        Assert.Equal(0, articles.GetProperty("total").GetInt64());

        // A correction of the title is searched at once.
        var corrected = await Print.CorrectAsync(DeskUsers.Publisher, upload, Issue(upload) with { Title = "Số Xuân Bính Ngọ" }, published.ETag, CancellationToken.None);
        Assert.Equal([1, 2, 3, 4], (await PagesAsync("xuan binh ngo")).Select(h => h.Page).Order());

        // A rebuild keeps the pages, from the text kept beside the PDF or, where that is gone, from the PDF itself.
        var uploads = _host.Get<StorageClients>().Container(StorageNames.UploadsContainerName);
        Assert.True(await uploads.GetBlobClient(upload + ".pages.json").ExistsAsync());
        await uploads.DeleteBlobAsync(upload + ".pages.json");
        var engine = _host.Get<Newsroom.Search.ISearchEngine>();
        await engine.DeleteAsync([.. Enumerable.Range(1, 4).Select(p => PrintPageIndex.DocumentId(upload, p))], CancellationToken.None);
        Assert.Empty(await PagesAsync("dân vận"));
        // A page of an issue that is no more (a withdrawal cut short before the index heard of it) is never answered, and the rebuild removes it.
        await engine.UpsertAsync([new Newsroom.Search.SearchDocument(PrintPageIndex.DocumentId("u-gone", 1), "u-gone", "Số cũ", "", "Hoi nghi dan van", "bao-hang-thang", [], DateTimeOffset.UtcNow.AddDays(-1)) { Kind = Newsroom.Search.SearchKind.PrintPage }], CancellationToken.None);
        Assert.Empty(await PagesAsync("dân vận"));
        await _host.Get<Newsroom.Search.ArticleSearch>().RebuildAsync(CancellationToken.None);
        Assert.Equal([(upload, 3)], (await PagesAsync("dân vận")).Select(h => (h.Issue, h.Page)));
        Assert.True(await uploads.GetBlobClient(upload + ".pages.json").ExistsAsync());
        Assert.DoesNotContain(PrintPageIndex.DocumentId("u-gone", 1), await engine.IdsAsync(CancellationToken.None));

        // Withdrawn: its pages leave the index with it, and its file and text leave storage.
        await Print.WithdrawAsync(DeskUsers.Publisher, upload, corrected.ETag, CancellationToken.None);
        Assert.Empty(await PagesAsync("dân vận"));
        Assert.DoesNotContain(await engine.IdsAsync(CancellationToken.None), id => id.Contains(upload, StringComparison.Ordinal));
        Assert.False(await uploads.GetBlobClient(upload + ".pages.json").ExistsAsync());
    }

    [Fact]
    public async Task An_upload_another_record_owns_is_refused_and_left_alone()
    {
        var upload = await UploadAsync(DemoPrint.Pdf("Bao", 1));
        await _host.Get<StorageClients>().Container(StorageNames.UploadsContainerName).GetBlobClient(PdfUploads.BlobName(upload))
            .SetMetadataAsync(new Dictionary<string, string> { ["owner"] = "article:a1" });
        var e = await Assert.ThrowsAsync<ConflictException>(() => Print.PublishAsync(DeskUsers.Publisher, Issue(upload), CancellationToken.None));
        Assert.Contains("already the PDF of another record", e.Message, StringComparison.Ordinal);
        Assert.True(await UploadedAsync(upload));
        Assert.Empty(await NumbersAsync());
    }

    [Fact]
    public async Task An_admin_renames_and_retires_a_periodical_with_if_match_a_retired_one_takes_no_new_issue_and_leaves_the_homepage()
    {
        var upload = await UploadAsync(DemoPrint.Pdf("Bao", 1));
        await Print.PublishAsync(DeskUsers.Publisher, Issue(upload), CancellationToken.None);
        var desk = await Print.GetPeriodicalForDeskAsync(DeskUsers.Reporter, "bao-hang-thang", CancellationToken.None);
        await Assert.ThrowsAsync<NotFoundException>(() => Print.GetPeriodicalForDeskAsync(DeskUsers.Reporter, "khong-co", CancellationToken.None));

        var renamed = new PeriodicalInput("Báo Thái Nguyên Hằng tháng", "Phát hành ngày 15 hằng tháng", 1);
        await Assert.ThrowsAsync<ForbiddenException>(() => Print.UpdatePeriodicalAsync(DeskUsers.Publisher, "bao-hang-thang", renamed, desk.ETag, CancellationToken.None));
        await Assert.ThrowsAsync<PreconditionRequiredException>(() => Print.UpdatePeriodicalAsync(DeskUsers.Admin, "bao-hang-thang", renamed, null, CancellationToken.None));
        var bad = await Assert.ThrowsAsync<ValidationException>(() => Print.UpdatePeriodicalAsync(DeskUsers.Admin, "bao-hang-thang", new PeriodicalInput(" ", Order: 5000), desk.ETag, CancellationToken.None));
        Assert.Equal(["name", "order"], bad.Errors!.Keys.Order(StringComparer.Ordinal));
        var updated = await Print.UpdatePeriodicalAsync(DeskUsers.Admin, "bao-hang-thang", renamed, desk.ETag, CancellationToken.None);
        Assert.Equal(("bao-hang-thang", "Báo Thái Nguyên Hằng tháng", true), (updated.Periodical.Slug, updated.Periodical.Name, updated.Periodical.Active));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Print.UpdatePeriodicalAsync(DeskUsers.Admin, "bao-hang-thang", renamed, desk.ETag, CancellationToken.None));
        // Readers see the new name on the issues at once (the slug, which the issues name, stays).
        var issue = JsonDocument.Parse((await Print.GetAsync(upload, CancellationToken.None)).Body).RootElement;
        Assert.Equal("Báo Thái Nguyên Hằng tháng", issue.GetProperty("periodical").GetProperty("name").GetString());

        // Retired: its archive stays, but it takes no new issue and leaves the homepage's box.
        Assert.Contains("bao-hang-thang", (await Print.LatestAsync(CancellationToken.None)).Select(i => i.Periodical.Slug));
        await Print.UpdatePeriodicalAsync(DeskUsers.Admin, "bao-hang-thang", renamed with { Active = false }, updated.ETag, CancellationToken.None);
        Assert.DoesNotContain("bao-hang-thang", (await Print.LatestAsync(CancellationToken.None)).Select(i => i.Periodical.Slug));
        Assert.Equal(["Số 122"], await NumbersAsync("bao-hang-thang"));
        var next = await UploadAsync(DemoPrint.Pdf("Bao", 1));
        var retired = await Assert.ThrowsAsync<ValidationException>(() => Print.PublishAsync(DeskUsers.Publisher, Issue(next, "Số 123"), CancellationToken.None));
        Assert.Equal(["periodical"], retired.Errors!.Keys);
        Assert.True(await UploadedAsync(next)); // left for a publish elsewhere
        var listed = JsonDocument.Parse((await Print.PeriodicalsAsync(CancellationToken.None)).Body).RootElement;
        Assert.False(listed.EnumerateArray().Single(p => p.GetProperty("slug").GetString() == "bao-hang-thang").GetProperty("active").GetBoolean());
    }
}
