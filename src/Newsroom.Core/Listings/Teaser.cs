using Newsroom.Articles;

namespace Newsroom.Listings;

/// <summary>What a listing row stores of an article: enough to draw a teaser without reading the article.</summary>
public sealed record Teaser(
    string Id,
    string Slug,
    string Title,
    string Summary,
    DateTimeOffset PublishedAt,
    string Category,
    PhotoRef? LeadPhoto)
{
    /// <summary>The running stories the article belongs to: the homepage finds recently active events from the newest teasers.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>The byline, for feeds (rows written before feeds existed have none until re-indexed).</summary>
    public IReadOnlyList<Author> Authors { get; init; } = [];

    /// <summary>The last save, for sitemaps' lastmod (null in rows written before sitemaps existed).</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>When it leaves the listing (readers stop seeing it at once, before the timer removes the row).</summary>
    public DateTimeOffset? ExpireAt { get; init; }

    /// <summary>Who is hiring and until when, for a job notice.</summary>
    public JobNotice? Job { get; init; }

    /// <summary>Number, type, issuer and dates, for a legal document.</summary>
    public LegalDocument? Legal { get; init; }

    public static Teaser From(Article article) => new(
        article.Id,
        article.Slug,
        article.Title,
        article.Summary,
        article.PublishedAt ?? throw new InvalidOperationException($"Article '{article.Id}' has no publishedAt."),
        article.Category,
        article.LeadPhoto?.Bare())
    {
        Events = article.Events,
        Authors = article.Authors,
        UpdatedAt = article.UpdatedAt == default ? null : article.UpdatedAt,
        ExpireAt = article.ExpireAt,
        Job = article.Job,
        Legal = article.Legal,
    };
}
