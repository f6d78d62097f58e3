using Newsroom.Articles;
using Newsroom.Reading;
using Newsroom.Taxonomy;

namespace Newsroom.Publishing;

/// <summary>
/// The article as editors see it, in any state: the public shape (category and events as {slug, name})
/// plus the workflow fields. Sending it back as the body of a PUT works unchanged.
/// </summary>
public sealed record EditorArticleView(
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
    DateTimeOffset? PublishAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> PreviousSlugs)
{
    public static EditorArticleView From(Article a, TaxonomySnapshot names, DateTimeOffset now) => new(
        a.Id, a.Slug, a.Title, a.Summary, a.Blocks, a.Authors,
        ReaderViews.Category(a.Category, names),
        [.. a.Events.Select(e => ReaderViews.Event(e, names))],
        a.Tags, a.LeadPhoto,
        // A scheduled article whose time has come is published, whether or not a job has run since.
        a.Status == ArticleStatus.Scheduled && a.IsPublicAt(now) ? ArticleStatus.Published : a.Status,
        a.PublishAt, a.PublishedAt, a.CreatedAt, a.UpdatedAt, a.PreviousSlugs);
}
