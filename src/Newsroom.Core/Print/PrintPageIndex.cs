using System.Globalization;
using Microsoft.Extensions.Logging;
using Newsroom.Search;
using Newsroom.Time;
using Newsroom.Uploads;

namespace Newsroom.Print;

/// <summary>
/// The pages of print issues in the search index, one document per page with text ("print-{issue}-{page}"): the page's
/// text as its body, the issue's title, the periodical as its category, the issue's date as its time. The text was
/// taken from the PDF when the issue was published and kept beside it, so the index (an in-process one starts empty)
/// is filled again without parsing PDFs; it is caught up and rebuilt with the articles (<see cref="ISearchSource"/>).
/// </summary>
public sealed partial class PrintPageIndex(ISearchEngine engine, PrintStore store, PdfUploads uploads, ILogger<PrintPageIndex> log) : ISearchSource
{
    private const string Prefix = "print-";

    public static string DocumentId(string issueId, int page) => Prefix + issueId + "-" + page.ToString(CultureInfo.InvariantCulture);

    /// <summary>The issue and page a document id names.</summary>
    public static bool TryParse(string documentId, out string issueId, out int page)
    {
        var dash = documentId.LastIndexOf('-');
        if (documentId.StartsWith(Prefix, StringComparison.Ordinal) && dash > Prefix.Length
            && int.TryParse(documentId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out page) && page > 0)
        {
            issueId = documentId[Prefix.Length..dash];
            return true;
        }
        (issueId, page) = ("", 0);
        return false;
    }

    public bool Owns(string documentId) => documentId.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>
    /// Indexes (again) the pages of an issue, from <paramref name="text"/> or what was kept beside its PDF; idempotent.
    /// How many pages it indexed (0 when the PDF is gone: a withdrawal is under way).
    /// </summary>
    public async Task<int> IndexAsync(PrintIssue issue, IReadOnlyList<string>? text, CancellationToken cancellationToken)
    {
        text ??= await uploads.TextAsync(issue.Id, cancellationToken);
        if (text is null)
        {
            return 0;
        }
        // Found from its date, or from when it was published if that is earlier (an issue dated ahead, as Tết issues are).
        var issued = VietnamTime.FromWallClock(issue.IssuedOn.ToDateTime(TimeOnly.MinValue));
        var at = issue.CreatedAt != default && issue.CreatedAt < issued ? issue.CreatedAt : issued;
        var documents = text
            .Select((body, i) => (Body: body, Page: i + 1))
            .Where(p => p.Body.Length > 0) // a page of pictures only has nothing to find
            .Select(p => new SearchDocument(DocumentId(issue.Id, p.Page), issue.Id, issue.Title, "", p.Body, issue.Periodical, [], at) { Kind = SearchKind.PrintPage })
            .ToList();
        if (documents.Count > 0)
        {
            await engine.UpsertAsync(documents, cancellationToken);
        }
        return documents.Count;
    }

    /// <summary>Takes the pages of an issue out of the index.</summary>
    public Task RemoveAsync(PrintIssue issue, CancellationToken cancellationToken) =>
        engine.DeleteAsync([.. Enumerable.Range(1, Math.Max(issue.Pdf.Pages, 0)).Select(p => DocumentId(issue.Id, p))], cancellationToken);

    /// <summary>Pages of print issues matching a reader's search (the caller checked the parameters).</summary>
    public Task<SearchResults> FindAsync(SearchQuery query, DateTimeOffset now, CancellationToken cancellationToken) =>
        engine.SearchAsync(query with { Kind = SearchKind.PrintPage }, now, cancellationToken);

    public async Task<int> CatchUpAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var issues = 0;
        await foreach (var issue in store.IssuesAsync(since, cancellationToken))
        {
            await IndexAsync(issue, null, cancellationToken);
            issues++;
        }
        return issues;
    }

    public async Task<IReadOnlyCollection<string>> RebuildAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var issue in store.IssuesAsync(null, cancellationToken))
        {
            var text = await uploads.TextAsync(issue.Id, cancellationToken);
            if (text is null)
            {
                Log.PdfMissing(log, issue.Id);
                continue;
            }
            await IndexAsync(issue, text, cancellationToken);
            ids.AddRange(text.Select((body, i) => (body, i)).Where(p => p.body.Length > 0).Select(p => DocumentId(issue.Id, p.i + 1)));
        }
        return ids;
    }

    public async Task<bool> KeepsAsync(string documentId, CancellationToken cancellationToken) =>
        TryParse(documentId, out var issueId, out var page) && PdfUploads.IsId(issueId)
        && await store.GetAsync(issueId, cancellationToken) is { } issue && page <= issue.Pdf.Pages;

    private static partial class Log
    {
        [LoggerMessage(EventId = 11101, Level = LogLevel.Warning, Message = "Print issue {IssueId} has no PDF: its pages are not indexed")]
        public static partial void PdfMissing(ILogger logger, string issueId);
    }
}
