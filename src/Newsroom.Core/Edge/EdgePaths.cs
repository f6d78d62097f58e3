using Newsroom.Articles;
using Newsroom.Taxonomy;

namespace Newsroom.Edge;

/// <summary>
/// The reader paths the edge may hold for an article: its own URL and those of the listings it appears in
/// (its section and the sections above it, its running stories and themed columns). Front Door's purge ignores query strings,
/// so a listing's path purges every page of it.
/// </summary>
public static class EdgePaths
{
    public const string Homepage = "/api/homepage";

    /// <summary>Every rendition of a photo ("/renditions/{id}/…" at the edge maps to the renditions container).</summary>
    public static string Renditions(string photoId) => $"/{Storage.StorageNames.RenditionsContainerName}/{photoId}/*";

    /// <summary>Whether readers may have been given the article before the change, or may be given it now.</summary>
    public static bool Affects(Article? before, Article after) => Public(before) || Public(after);

    private static bool Public(Article? article) => article?.Status is ArticleStatus.Published or ArticleStatus.Scheduled;

    /// <summary>
    /// What a save must purge: nothing when the article was not public and is not now; otherwise the paths of
    /// the article as it was (a removed or moved article must leave its old listings) and as it is.
    /// </summary>
    public static IReadOnlyList<string> ForChange(Article? before, Article after, TaxonomySnapshot taxonomy)
    {
        if (!Affects(before, after))
        {
            return [];
        }
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var article in new[] { before, after }.OfType<Article>())
        {
            paths.Add("/api/articles/" + article.Slug);
            foreach (var category in taxonomy.SelfAndAncestors(article.Category))
            {
                paths.Add($"/api/categories/{category.Slug}/articles");
            }
            foreach (var key in article.Events)
            {
                paths.Add($"/api/events/{(taxonomy.Events.TryGetValue(key, out var e) ? e.Slug : key)}/articles");
            }
            foreach (var key in article.Columns)
            {
                paths.Add($"/api/columns/{(taxonomy.Columns.TryGetValue(key, out var c) ? c.Slug : key)}/articles");
            }
            if (article.Legal is not null)
            {
                paths.Add("/api/legal-documents"); // every filter: the purge ignores query strings
                paths.Add("/api/legal-documents/" + article.Slug);
            }
        }
        return [.. paths];
    }
}
