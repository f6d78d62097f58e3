using System.Globalization;
using Microsoft.Extensions.Options;
using Newsroom.Uploads;
using Newsroom.Homepage;
using Newsroom.Identity;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Photos;
using Newsroom.Publishing;
using Newsroom.Reading;
using Newsroom.Storage;
using Newsroom.Text;
using Newsroom.Time;

namespace Newsroom.Print;

/// <summary>
/// The print editions ("Báo in"): admins create periodicals; an editor asks for an upload address and the browser
/// writes the issue's PDF straight to storage; a publisher then publishes the issue (number, title, kind, date or
/// month, cover through the photo pipeline, the upload's id), which checks the PDF (<see cref="PdfUploads"/>) and
/// stores the issue and its listing rows together. Readers list issues newest first by periodical and year, read
/// one with its cover renditions, and download the PDF through a short-lived address.
/// </summary>
public sealed partial class PrintEditions(
    PrintStore store,
    PdfUploads uploads,
    PrintPageIndex pages,
    Search.ArticleSearch search,
    PhotoStore photos,
    PhotoResolver resolver,
    ResponseCache cache,
    HomepageRebuildQueue rebuilds,
    Edge.EdgePurger edge,
    IOptions<ReaderOptions> readerOptions,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    Microsoft.Extensions.Logging.ILogger<PrintEditions> log) : IUploadKeeper
{
    /// <summary>What cached print responses depend on.</summary>
    public const string Tag = "print";

    public const int MaxNumber = 40;
    public const int MaxTitle = 250;

    private TimeSpan Deadline => TimeSpan.FromSeconds(storage.Value.WriteDeadlineSeconds);

    /// <summary>Publishing reads the whole PDF (up to a few hundred MB) from storage: an upload's deadline, not a write's.</summary>
    private TimeSpan UploadDeadline => TimeSpan.FromSeconds(storage.Value.UploadDeadlineSeconds);

    public Task<JsonPayload> PeriodicalsAsync(CancellationToken cancellationToken) =>
        cache.GetAsync("periodicals", [Tag], p => 256 + p.Body.Length, async token => JsonPayload.From(await KnownPeriodicalsAsync(token)), cancellationToken);

    /// <summary>The periodicals readers' responses name, from memory shared by them, dropped on any change (writes read storage).</summary>
    private Task<IReadOnlyList<Periodical>> KnownPeriodicalsAsync(CancellationToken cancellationToken) =>
        cache.GetSharedAsync(("print", "periodicals"), [Tag], p => 256L * (p.Count + 1), store.PeriodicalsAsync, cancellationToken);

    public Task<Periodical> CreatePeriodicalAsync(DeskUser user, PeriodicalInput input, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        user.Require(DeskRole.Admin, "create a periodical");
        var periodical = CheckPeriodical(input, slug: null);
        if (!await store.TryAddAsync(periodical, token))
        {
            throw new ConflictException($"There is a periodical '{periodical.Slug}' already; GET /api/periodicals lists them.");
        }
        cache.Invalidate([Tag]);
        return periodical;
    }, cancellationToken);

    /// <summary>The periodical as the desk reads it: with the ETag a change sends as If-Match.</summary>
    public Task<PeriodicalResult> GetPeriodicalForDeskAsync(DeskUser user, string slug, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        if (!user.IsAtLeast(DeskRole.Admin))
        {
            user.Require(DeskRole.Reporter, "use the desk"); // the admins who change it read it too
        }
        var (periodical, etag) = await FindPeriodicalAsync(slug, token);
        return new PeriodicalResult(periodical, ArticleETag.ToHttp(etag));
    }, cancellationToken);

    /// <summary>
    /// Renames a periodical, rewrites its description, moves it in the order, or retires it (active: false: it keeps its
    /// issues and listings but leaves the homepage and takes no new issue); its slug stays, as its issues name it. If-Match required.
    /// </summary>
    public Task<PeriodicalResult> UpdatePeriodicalAsync(DeskUser user, string slug, PeriodicalInput input, string? ifMatch, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        user.Require(DeskRole.Admin, "change a periodical");
        var (before, _) = await FindPeriodicalAsync(slug, token);
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            throw new PreconditionRequiredException($"Changing a periodical needs an If-Match header with the ETag from GET /api/desk/periodicals/{slug}.");
        }
        var after = CheckPeriodical(input, before.Slug);
        var etag = await store.ReplaceAsync(after, ifMatch == "*" ? "*" : ArticleETag.ToStore(ifMatch), token);
        cache.Invalidate([Tag]);
        await rebuilds.RequestAsync("periodical changed", null, null, CancellationToken.None);
        await edge.RequestAsync(["/api/periodicals", "/api/print-issues"], $"periodical {slug} changed", CancellationToken.None);
        return new PeriodicalResult(after, ArticleETag.ToHttp(etag));
    }, cancellationToken);

    private async Task<(Periodical Periodical, string ETag)> FindPeriodicalAsync(string slug, CancellationToken cancellationToken) =>
        (slug.Length is > 0 and <= 120 && VietnameseText.Slugify(slug) == slug ? await store.GetPeriodicalWithETagAsync(slug, cancellationToken) : null)
        ?? throw new NotFoundException($"There is no periodical '{slug}'. GET /api/periodicals lists them.");

    /// <summary>A periodical from what an admin sent (422 naming each bad field); its slug from its name when new.</summary>
    private static Periodical CheckPeriodical(PeriodicalInput input, string? slug)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 120 || VietnameseText.Slugify(name).Length == 0)
        {
            errors["name"] = ["A name of 1 to 120 characters is required, e.g. \"Báo Hằng tháng\"."];
        }
        if (input.Description is { Length: > 600 })
        {
            errors["description"] = ["At most 600 characters."];
        }
        if (input.Order is < 0 or > 1000)
        {
            errors["order"] = ["A whole number from 0 to 1000."];
        }
        if (errors.Count > 0)
        {
            throw new ValidationException("The periodical has problems; see errors for each field.") { Errors = errors };
        }
        return new Periodical(slug ?? VietnameseText.Slugify(name!), name!, input.Description?.Trim(), input.Order ?? 0, input.Active ?? true);
    }

    /// <summary>An address the editor's browser PUTs the issue's PDF to (write-only, short-lived).</summary>
    public Task<PdfUploadTicket> StartUploadAsync(DeskUser user, CancellationToken cancellationToken)
    {
        user.Require(DeskRole.Editor, "upload a print issue");
        return uploads.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Publishes an issue from its details and its uploaded PDF. Every field is checked first (422 naming each),
    /// then the PDF (413, 415 or 422; the file is deleted); the issue, whose id is the upload's, is stored with its
    /// listing rows in one transaction, so a refused or failed publish leaves no issue and, once swept, no file.
    /// </summary>
    public Task<PrintIssueResult> PublishAsync(DeskUser user, PrintIssueInput input, CancellationToken cancellationToken) => StorageDeadline.RunAsync(UploadDeadline, async token =>
    {
        user.Require(DeskRole.Publisher, "publish a print issue");
        var periodicals = await store.PeriodicalsAsync(token);
        var details = await CheckAsync(input, periodicals, upload: true, token);
        if (await store.GetAsync(input.UploadId!, token) is not null)
        {
            throw new ConflictException($"The upload '{input.UploadId}' is already published as an issue: GET /api/print-issues/{input.UploadId}. Upload the PDF again for another issue.");
        }
        var pdf = await uploads.AcceptAsync(input.UploadId!, Owner, token);
        // The pages' text is kept beside the PDF before the issue that keeps both is written (unkept, the sweep takes both).
        await uploads.SaveTextAsync(input.UploadId!, pdf.PageText, token);
        var issue = details with { Id = input.UploadId!, Pdf = new PrintPdf(pdf.BlobName, pdf.Bytes, pdf.Pages), CreatedAt = time.GetUtcNow() };
        var etag = await store.TryAddAsync(issue, token)
            ?? throw new ConflictException($"The upload '{issue.Id}' is already published as an issue: GET /api/print-issues/{issue.Id}.");
        await ChangedAsync(issue, "published", pdf.PageText);
        return new PrintIssueResult(await ViewAsync(issue, periodicals, token), ArticleETag.ToHttp(etag));
    }, cancellationToken);

    /// <summary>The issue as the desk reads it: with the ETag a correction or withdrawal sends as If-Match.</summary>
    public Task<PrintIssueResult> GetForDeskAsync(DeskUser user, string id, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        user.Require(DeskRole.Reporter, "use the desk");
        var (issue, etag) = await FindWithETagAsync(id, token);
        return new PrintIssueResult(await ViewAsync(issue, await store.PeriodicalsAsync(token), token), ArticleETag.ToHttp(etag));
    }, cancellationToken);

    /// <summary>Corrects an issue's details (not its PDF: publish a new upload for that); If-Match required.</summary>
    public Task<PrintIssueResult> CorrectAsync(DeskUser user, string id, PrintIssueInput input, string? ifMatch, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        user.Require(DeskRole.Publisher, "correct a print issue");
        var (before, _) = await FindWithETagAsync(id, token);
        var etagToMatch = RequireIfMatch(id, ifMatch);
        var periodicals = await store.PeriodicalsAsync(token);
        var details = await CheckAsync(input, periodicals, upload: false, token);
        var after = details with { Id = before.Id, Pdf = before.Pdf, CreatedAt = before.CreatedAt };
        var etag = await store.ReplaceAsync(before, after, etagToMatch, token);
        await ChangedAsync(after, "corrected");
        return new PrintIssueResult(await ViewAsync(after, periodicals, token), ArticleETag.ToHttp(etag));
    }, cancellationToken);

    /// <summary>Withdraws an issue: it leaves every listing and the homepage, and its PDF is deleted; If-Match required.</summary>
    public Task WithdrawAsync(DeskUser user, string id, string? ifMatch, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        user.Require(DeskRole.Publisher, "withdraw a print issue");
        var (issue, _) = await FindWithETagAsync(id, token);
        await store.DeleteAsync(issue, RequireIfMatch(id, ifMatch), token);
        await ChangedAsync(issue, "withdrawn");
        await uploads.DeleteAsync(issue.Id, CancellationToken.None); // were this cut short, the sweep deletes the file nobody keeps
        return true;
    }, cancellationToken);

    private static string RequireIfMatch(string id, string? ifMatch) => string.IsNullOrWhiteSpace(ifMatch)
        ? throw new PreconditionRequiredException($"Changing a print issue needs an If-Match header with the ETag from GET /api/desk/print-issues/{id}.")
        : ifMatch == "*" ? "*" : ArticleETag.ToStore(ifMatch);

    /// <summary>
    /// After any change of an issue: its pages indexed again (or taken out), readers' copies dropped, the homepage
    /// rebuilt and the edge purged. The issue is stored by then, so nothing here fails the request: the search
    /// catch-up indexes what a failure here missed, and readers' search drops pages of an issue that is gone.
    /// </summary>
    private async Task ChangedAsync(PrintIssue issue, string what, IReadOnlyList<string>? text = null)
    {
        try
        {
            await (what == "withdrawn" ? pages.RemoveAsync(issue, CancellationToken.None) : pages.IndexAsync(issue, text, CancellationToken.None));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.IndexFailed(log, e, issue.Id, what);
        }
        cache.Invalidate([Tag]);
        await rebuilds.RequestAsync("print issue " + what, null, null, CancellationToken.None);
        await edge.RequestAsync(["/api/print-issues", "/api/print-issues/" + issue.Id], $"print issue {issue.Id} {what}", CancellationToken.None);
    }

    /// <summary>The details of an issue checked (422 naming each bad field); id, PDF and time are the caller's to fill.</summary>
    private async Task<PrintIssue> CheckAsync(PrintIssueInput input, IReadOnlyList<Periodical> periodicals, bool upload, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var periodical = periodicals.FirstOrDefault(p => p.Slug == input.Periodical);
        if (periodical is null)
        {
            errors["periodical"] = [$"There is no periodical '{input.Periodical}'; GET /api/periodicals lists them."];
        }
        else if (!periodical.Active && upload)
        {
            errors["periodical"] = [$"The periodical '{periodical.Slug}' is retired: it takes no new issue (an admin can make it active again)."];
        }
        var number = Text(input.Number, "number", MaxNumber, errors);
        var title = Text(input.Title, "title", MaxTitle, errors);
        var (issuedOn, monthly) = ParseDate(input.IssuedOn, errors);
        if (input.Cover is { } cover && (string.IsNullOrEmpty(cover.PhotoId) || !await photos.ExistsAsync(cover.PhotoId, cancellationToken)))
        {
            errors["cover.photoId"] = [$"There is no photo '{cover.PhotoId}'; upload it with POST /api/photos first."];
        }
        if (upload && !PdfUploads.IsId(input.UploadId))
        {
            errors["uploadId"] = ["Required: the uploadId of POST /api/print-issues/uploads, after the PDF was PUT to its uploadUrl."];
        }
        if (errors.Count > 0)
        {
            throw new ValidationException("The print issue has problems; see errors for each field.") { Errors = errors };
        }
        return new PrintIssue("", periodical!.Slug, number!, title!, input.Kind ?? PrintIssueKind.Regular, issuedOn, monthly, input.Cover?.Bare(), new PrintPdf("", 0, 0), default);
    }

    /// <summary>Issues newest first, of a periodical and a year when given; first pages cached.</summary>
    public async Task<JsonPayload> ListAsync(string? periodical, string? year, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var take = ListingReader.ParseLimit(limit, readerOptions.Value);
        var periodicals = await KnownPeriodicalsAsync(cancellationToken);
        if (!string.IsNullOrEmpty(periodical) && periodicals.All(p => p.Slug != periodical))
        {
            throw new NotFoundException($"There is no periodical '{periodical}'. GET /api/periodicals lists them.");
        }
        var y = ListingReader.ParseYear(year);
        var listing = PrintStore.ListPrefix(string.IsNullOrEmpty(periodical) ? "*" : periodical, y?.ToString(CultureInfo.InvariantCulture) ?? "*");
        var after = string.IsNullOrEmpty(cursor) ? null : ListingCursor.Decode(cursor, listing);

        async Task<JsonPayload> LoadAsync(CancellationToken token)
        {
            var rows = await store.ListAsync(string.IsNullOrEmpty(periodical) ? null : periodical, y, after, take + 1, token);
            var items = await Task.WhenAll(rows.Take(take).Select(r => ViewAsync(r.Issue, periodicals, token)));
            return JsonPayload.From(new PrintIssuePage(items, rows.Count > take ? ListingCursor.Encode(listing, rows[take - 1].RowKey) : null));
        }

        return after is null
            ? await cache.GetAsync((listing, take), [Tag], p => 256 + p.Body.Length, LoadAsync, cancellationToken)
            : await StorageDeadline.RunAsync(TimeSpan.FromSeconds(storage.Value.ReadDeadlineSeconds), LoadAsync, cancellationToken);
    }

    public Task<JsonPayload> GetAsync(string id, CancellationToken cancellationToken) =>
        cache.GetAsync(("print-issue", id), [Tag], p => 256 + p.Body.Length,
            async token => JsonPayload.From(await ViewAsync(await FindAsync(id, token), await KnownPeriodicalsAsync(token), token)), cancellationToken);

    /// <summary>A short-lived read-only address of the issue's PDF, named after the issue.</summary>
    public async Task<Uri> DownloadAsync(string id, CancellationToken cancellationToken)
    {
        var issue = await FindAsync(id, cancellationToken);
        var name = VietnameseText.Slugify($"{issue.Periodical} {issue.Number} {issue.IssuedOn:yyyy-MM-dd}") + ".pdf";
        return await uploads.DownloadUrlAsync(issue.Pdf.Blob, name, cancellationToken);
    }

    /// <summary>The newest issue of each active periodical, in the periodicals' order (the homepage's "Báo in" box).</summary>
    public async Task<IReadOnlyList<PrintIssueView>> LatestAsync(CancellationToken cancellationToken)
    {
        var periodicals = await store.PeriodicalsAsync(cancellationToken);
        var latest = await Task.WhenAll(periodicals.Where(p => p.Active).Select(p => store.ListAsync(p.Slug, null, null, 1, cancellationToken)));
        return await Task.WhenAll(latest.Where(l => l.Count > 0).Select(l => ViewAsync(l[0].Issue, periodicals, cancellationToken)));
    }

    /// <summary>Whether an upload is an issue's PDF (the sweep keeps those; an upload some other record claimed is not).</summary>
    public async Task<bool> KeepsAsync(string uploadId, string? owner, CancellationToken cancellationToken) =>
        owner is null or Owner && await store.GetAsync(uploadId, cancellationToken) is not null;

    /// <summary>What an issue's PDF says owns it.</summary>
    private const string Owner = "print";

    /// <summary>
    /// Readers' search of the print pages (GET /api/search/print): the text as for articles, a periodical and a year to
    /// narrow it; each hit is a page, with its issue as the issue's own page shows it (pages of an issue withdrawn
    /// meanwhile are left out).
    /// </summary>
    public async Task<JsonPayload> SearchAsync(string? q, string? periodical, string? year, string? sort, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var text = Search.SearchParameters.Text(q);
        var periodicals = await KnownPeriodicalsAsync(cancellationToken);
        if (!string.IsNullOrEmpty(periodical) && periodicals.All(p => p.Slug != periodical))
        {
            throw new BadRequestException($"There is no periodical '{periodical}'. GET /api/periodicals lists them.");
        }
        var y = ListingReader.ParseYear(year);
        var from = y is { } first ? VietnamTime.FromWallClock(new DateTime(first, 1, 1)) : (DateTimeOffset?)null;
        var order = Search.SearchParameters.Sort(sort);
        var take = Search.SearchParameters.Limit(limit);
        var offset = Search.SearchParameters.Offset(cursor);
        await search.ReadyAsync(cancellationToken);
        var query = new Search.SearchQuery(text, string.IsNullOrEmpty(periodical) ? null : [periodical], null, from, from?.AddYears(1).AddTicks(-1), order, take, offset);
        var results = await pages.FindAsync(query, time.GetUtcNow(), cancellationToken);
        var hits = results.Hits.Select(h => (Hit: h, Found: PrintPageIndex.TryParse(h.Id, out var issueId, out var page), IssueId: issueId, Page: page))
            .Where(h => h.Found).ToList();
        var issues = await Task.WhenAll(hits.Select(h => h.IssueId).Distinct(StringComparer.Ordinal).Select(id => store.GetAsync(id, cancellationToken)));
        var views = (await Task.WhenAll(issues.OfType<PrintIssue>().Select(i => ViewAsync(i, periodicals, cancellationToken)))).ToDictionary(v => v.Id, StringComparer.Ordinal);
        var items = hits.Where(h => views.ContainsKey(h.IssueId))
            .Select(h => new PrintPageHit(views[h.IssueId], h.Page, h.Hit.Title, h.Hit.TitleHighlights, h.Hit.Snippet, h.Hit.SnippetHighlights))
            .ToList();
        return JsonPayload.From(new PrintSearchPage(items, results.Total, Search.SearchParameters.Next(offset, take, results.Total)));
    }

    private async Task<PrintIssue> FindAsync(string id, CancellationToken cancellationToken) => (await FindWithETagAsync(id, cancellationToken)).Issue;

    private async Task<(PrintIssue Issue, string ETag)> FindWithETagAsync(string id, CancellationToken cancellationToken) =>
        (PdfUploads.IsId(id) ? await store.GetWithETagAsync(id, cancellationToken) : null)
        ?? throw new NotFoundException($"There is no print issue '{id}'. GET /api/print-issues lists them.");

    private async Task<PrintIssueView> ViewAsync(PrintIssue issue, IReadOnlyList<Periodical> periodicals, CancellationToken cancellationToken)
    {
        var periodical = periodicals.FirstOrDefault(p => p.Slug == issue.Periodical);
        return new PrintIssueView(issue.Id, new PeriodicalRef(issue.Periodical, periodical?.Name ?? issue.Periodical), issue.Number, issue.Title, issue.Kind,
            issue.IssuedOn.ToString(issue.Monthly ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture),
            await resolver.ResolveAsync(issue.Cover, cancellationToken),
            new PrintPdfView($"/api/print-issues/{issue.Id}/pdf", issue.Pdf.Bytes, issue.Pdf.Pages));
    }

    private static partial class Log
    {
        [Microsoft.Extensions.Logging.LoggerMessage(EventId = 11102, Level = Microsoft.Extensions.Logging.LogLevel.Warning,
            Message = "Print issue {IssueId} {What}, but its pages were not (re)indexed; the search catch-up will")]
        public static partial void IndexFailed(Microsoft.Extensions.Logging.ILogger logger, Exception exception, string issueId, string what);
    }

    private static string? Text(string? value, string field, int max, Dictionary<string, string[]> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > max || text.Any(char.IsControl))
        {
            errors[field] = [$"Required: 1 to {max} characters, no control characters."];
            return null;
        }
        return text;
    }

    /// <summary>"2026-11-30" (a day) or "2026-11" (a month, for a monthly), Vietnam dates.</summary>
    private static (DateOnly Date, bool Monthly) ParseDate(string? value, Dictionary<string, string[]> errors)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return (day, false);
        }
        if (DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) && value!.Length == 7)
        {
            return (month, true);
        }
        errors["issuedOn"] = [$"The issue's date as \"2026-11-30\", or its month as \"2026-11\" for a monthly; got '{value}'."];
        return (default, false);
    }
}
