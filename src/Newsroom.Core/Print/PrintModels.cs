using System.Text.Json.Serialization;
using Newsroom.Articles;

namespace Newsroom.Print;

/// <summary>A printed periodical of the paper: the daily, the monthly, special issues (Tết, a congress). A retired one (not active) keeps its archive.</summary>
public sealed record Periodical(string Slug, string Name, string? Description, int Order, bool Active = true);

/// <summary>A periodical as the desk gets it back: with the ETag to send as If-Match.</summary>
public sealed record PeriodicalResult(Periodical Periodical, string ETag);

public enum PrintIssueKind
{
    Regular,
    Special,
}

/// <summary>The PDF of a whole issue, as stored: its blob, size and page count.</summary>
public sealed record PrintPdf(string Blob, long Bytes, int Pages);

/// <summary>
/// One issue of a periodical: "Số 111/Tháng 01 năm 2021 – Báo Hằng tháng", "Số Báo Tết Dương lịch 2021". Its
/// date is a day, or a month for a monthly (<see cref="Monthly"/>), in Vietnam time.
/// </summary>
public sealed record PrintIssue(
    string Id,
    string Periodical,
    string Number,
    string Title,
    PrintIssueKind Kind,
    DateOnly IssuedOn,
    bool Monthly,
    PhotoRef? Cover,
    PrintPdf Pdf,
    DateTimeOffset CreatedAt);

/// <summary>What a publisher sends to publish an issue: its details, and the id of the PDF uploaded for it (ignored by a correction).</summary>
public sealed record PrintIssueInput(
    string? Periodical,
    string? Number,
    string? Title,
    PrintIssueKind? Kind,
    string? IssuedOn,
    PhotoRef? Cover,
    string? UploadId);

/// <summary>What an admin sends to create or change a periodical (active: false retires it; default true).</summary>
public sealed record PeriodicalInput(string? Name, string? Description = null, int? Order = null, bool? Active = null);

/// <summary>The PDF as readers get it: where to download it (a short-lived address behind a redirect), its size and pages.</summary>
public sealed record PrintPdfView(string Url, long Bytes, int Pages);

/// <summary>An issue as readers get it: the cover with its renditions, the periodical's name, the PDF.</summary>
public sealed record PrintIssueView(
    string Id,
    PeriodicalRef Periodical,
    string Number,
    string Title,
    PrintIssueKind Kind,
    [property: JsonPropertyName("issuedOn")] string IssuedOn,
    PhotoRef? Cover,
    PrintPdfView Pdf);

public sealed record PeriodicalRef(string Slug, string Name);

/// <summary>An issue as the desk gets it back: the view, and the ETag to send as If-Match.</summary>
public sealed record PrintIssueResult(PrintIssueView Issue, string ETag);

/// <summary>A page of issues; nextCursor is null on the last page.</summary>
public sealed record PrintIssuePage(IReadOnlyList<PrintIssueView> Items, string? NextCursor);

/// <summary>
/// A page of a print issue a search found: the issue as readers get it, the page number, and where the query's words
/// are in the issue's title (as indexed, returned beside them) and in about 200 characters of the page's text.
/// </summary>
public sealed record PrintPageHit(
    PrintIssueView Issue,
    int Page,
    string Title,
    IReadOnlyList<Search.TextRange> TitleHighlights,
    string Snippet,
    IReadOnlyList<Search.TextRange> SnippetHighlights);

/// <summary>A page of print search results; nextCursor is null on the last page.</summary>
public sealed record PrintSearchPage(IReadOnlyList<PrintPageHit> Items, long Total, string? NextCursor);
