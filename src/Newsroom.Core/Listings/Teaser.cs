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
    public static Teaser From(Article article) => new(
        article.Id,
        article.Slug,
        article.Title,
        article.Summary,
        article.PublishedAt ?? throw new InvalidOperationException($"Article '{article.Id}' has no publishedAt."),
        article.Category,
        article.LeadPhoto?.Bare());
}
