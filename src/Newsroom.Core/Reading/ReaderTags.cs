using Newsroom.Articles;
using Newsroom.Listings;
using Newsroom.Taxonomy;

namespace Newsroom.Reading;

/// <summary>What cached reader responses depend on, so a write can drop exactly the ones it changes.</summary>
public static class ReaderTags
{
    /// <summary>Everything that shows category or event names.</summary>
    public const string Taxonomy = "taxonomy";

    public static string Slug(string slug) => "slug:" + slug;

    /// <summary>
    /// The article page under each of its slugs, and, once it is published or scheduled, every listing it
    /// appears or may appear in (all, its category and the category's parents, its events and columns, the videos).
    /// </summary>
    public static IEnumerable<string> For(Article article, TaxonomySnapshot names)
    {
        foreach (var slug in article.PreviousSlugs.Append(article.Slug).Where(s => s.Length > 0))
        {
            yield return Slug(slug);
        }
        if (article.Status is not (ArticleStatus.Published or ArticleStatus.Scheduled))
        {
            yield break; // in no listing
        }
        yield return ListingKey.All;
        yield return ListingKey.Videos;
        yield return ListingKey.Category(article.Category);
        foreach (var category in names.SelfAndAncestors(article.Category))
        {
            yield return ListingKey.Category(category.Key);
        }
        foreach (var newsEvent in article.Events)
        {
            yield return ListingKey.Event(newsEvent);
        }
        foreach (var column in article.Columns)
        {
            yield return ListingKey.Column(column);
        }
        foreach (var legal in article.Legal is { } document ? Legal.LegalDocuments.ListingKeys(document) : [])
        {
            yield return legal;
        }
    }
}
