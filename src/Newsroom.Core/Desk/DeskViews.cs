using Newsroom.Articles;
using Newsroom.Identity;
using Newsroom.Json;
using Newsroom.Reading;
using Newsroom.Taxonomy;

namespace Newsroom.Desk;

/// <summary>
/// The article as the desk sees it, in any state: the public shape (category and events as {slug, name}) plus
/// the workflow: its state, what that state allows, its author, revision, the note it was returned with and
/// its corrections. Sending it back as the body of a PUT works unchanged.
/// </summary>
public sealed record DeskArticleView(
    string Id,
    string Slug,
    string Title,
    string Summary,
    IReadOnlyList<ArticleBlock> Blocks,
    IReadOnlyList<Author> Authors,
    CategoryRef Category,
    IReadOnlyList<EventRef> Events,
    IReadOnlyList<string> Tags,
    PhotoRef? LeadPhoto,
    ArticleStatus Status,
    IReadOnlyList<string> Allowed,
    DeskActor? Owner,
    int Revision,
    string? ReturnNote,
    IReadOnlyList<Correction> Corrections,
    DateTimeOffset? PublishAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> PreviousSlugs)
{
    public DateTimeOffset? ExpireAt { get; init; }

    public JobNotice? Job { get; init; }

    public IReadOnlyList<ColumnRef> Columns { get; init; } = [];

    public LegalDocument? Legal { get; init; }

    public static DeskArticleView From(Article a, TaxonomySnapshot names, DateTimeOffset now)
    {
        var status = DeskWorkflow.Effective(a, now);
        return new(
            a.Id, a.Slug, a.Title, a.Summary, a.Blocks, a.Authors,
            ReaderViews.Category(a.Category, names),
            [.. a.Events.Select(e => ReaderViews.Event(e, names))],
            a.Tags, a.LeadPhoto, status,
            [.. DeskWorkflow.Allowed(status).Select(DeskWorkflow.Verb)],
            a.Owner, a.Revision, a.ReturnNote, a.Corrections,
            a.PublishAt, a.PublishedAt, a.CreatedAt, a.UpdatedAt, a.PreviousSlugs)
        {
            ExpireAt = a.ExpireAt,
            Job = a.Job,
            Columns = [.. a.Columns.Select(c => ReaderViews.Column(c, names))],
            Legal = a.Legal,
        };
    }
}

/// <summary>A desk answer: the article for the desk, with the ETag to send back as If-Match.</summary>
public sealed record DeskResult(DeskArticleView Article, JsonPayload Payload, string ETag);

/// <summary>One row of a desk list.</summary>
public sealed record DeskListItem(
    string Id,
    string Slug,
    string Title,
    ArticleStatus Status,
    DateTimeOffset UpdatedAt,
    DeskActor? Owner,
    CategoryRef Category,
    DateTimeOffset? PublishAt,
    int Revision);

/// <summary>A page of a desk list; nextCursor is null on the last page.</summary>
public sealed record DeskListPage(IReadOnlyList<DeskListItem> Items, string? NextCursor);

/// <summary>An article's history, newest first.</summary>
public sealed record HistoryView(string Id, IReadOnlyList<HistoryEntry> Entries);
