namespace Newsroom.Taxonomy;

/// <summary>A section of the paper (chuyên mục); sub-sections name their parent.</summary>
public sealed record Category(string Slug, string Name, string? Parent = null, int Order = 0, string? Description = null);

/// <summary>A running story (sự kiện) that groups articles across categories; editors may put it in focus on the homepage.</summary>
public sealed record NewsEvent(string Slug, string Name, string? Description = null, bool InFocus = false);

/// <summary>A read-only snapshot of every category and event.</summary>
public sealed class TaxonomySnapshot
{
    public TaxonomySnapshot(IEnumerable<Category> categories, IEnumerable<NewsEvent> events)
    {
        Categories = categories.ToDictionary(c => c.Slug, StringComparer.Ordinal);
        Events = events.ToDictionary(e => e.Slug, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, Category> Categories { get; }

    public IReadOnlyDictionary<string, NewsEvent> Events { get; }

    /// <summary>The category and each of its ancestors, nearest first; stops on a cycle or a missing parent.</summary>
    public IEnumerable<Category> SelfAndAncestors(string slug)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = slug; current is not null && seen.Add(current) && Categories.TryGetValue(current, out var category); current = category.Parent)
        {
            yield return category;
        }
    }

    /// <summary>The top-level categories, each with its sub-sections, in editor order.</summary>
    public IReadOnlyList<CategoryNode> Tree()
    {
        var children = Categories.Values
            .Where(c => c.Parent is not null && Categories.ContainsKey(c.Parent))
            .ToLookup(c => c.Parent!, StringComparer.Ordinal);
        CategoryNode Node(Category c) => new(c.Slug, c.Name, c.Description, [.. Ordered(children[c.Slug]).Select(Node)]);
        return [.. Ordered(Categories.Values.Where(c => c.Parent is null || !Categories.ContainsKey(c.Parent))).Select(Node)];
    }

    private static IEnumerable<Category> Ordered(IEnumerable<Category> categories) =>
        categories.OrderBy(c => c.Order).ThenBy(c => c.Slug, StringComparer.Ordinal);
}

public sealed record CategoryNode(string Slug, string Name, string? Description, IReadOnlyList<CategoryNode> Children);
