using System.Text.Json.Serialization;
using Newsroom.Articles;

namespace Newsroom.Taxonomy;

/// <summary>
/// A section of the paper (chuyên mục); sub-sections name their parent's key. The key is the section's first
/// slug and never changes (listings and articles are filed under it); <see cref="Slug"/> is its public name,
/// which follows a rename, while the old ones keep answering with a redirect.
/// </summary>
public sealed record Category(string Key, string Name, string? Parent = null, int Order = 0, string? Description = null) : ITaxon
{
    private readonly string? _slug;

    public string Slug { get => _slug ?? Key; init => _slug = value; }

    public IReadOnlyList<string> PreviousSlugs { get; init; } = [];

    /// <summary>Retired: no longer offered for new articles nor in the tree; its articles stay readable.</summary>
    public bool Retired { get; init; }
}

/// <summary>A running story (sự kiện) that groups articles across categories; editors may put it in focus on the homepage.</summary>
public sealed record NewsEvent(string Key, string Name, string? Description = null, bool InFocus = false) : ITaxon
{
    private readonly string? _slug;

    public string Slug { get => _slug ?? Key; init => _slug = value; }

    public IReadOnlyList<string> PreviousSlugs { get; init; } = [];

    public PhotoRef? CoverPhoto { get; init; }

    /// <summary>Retired: no longer offered for new articles; its articles and listing stay readable.</summary>
    public bool Retired { get; init; }
}

/// <summary>
/// A themed column (chuyên đề): a long-running series such as "Học tập và làm theo tư tưởng, đạo đức, phong cách
/// Hồ Chí Minh" or "Vì an toàn giao thông", shown as a block of banners on the homepage in editor order while
/// active. Articles belong to any number of columns, as to events. An inactive column leaves the homepage and
/// the choices for new articles; its articles and listing stay readable.
/// </summary>
public sealed record ThemedColumn(string Key, string Name, string? Description = null, int Order = 0, bool Active = true) : ITaxon
{
    private readonly string? _slug;

    public string Slug { get => _slug ?? Key; init => _slug = value; }

    public IReadOnlyList<string> PreviousSlugs { get; init; } = [];

    public PhotoRef? Banner { get; init; }
}

/// <summary>What sections, events and themed columns share: a key that never changes, a public slug, the slugs it had.</summary>
public interface ITaxon
{
    string Key { get; }

    string Slug { get; }

    IReadOnlyList<string> PreviousSlugs { get; }
}

/// <summary>Where a public slug leads: a section or event by its key, and whether the slug is an old one (301).</summary>
public sealed record SlugTarget(string Key, bool Moved);

/// <summary>A read-only snapshot of every category, event and themed column, by key and by public slug (current and previous).</summary>
public sealed class TaxonomySnapshot
{
    private readonly Dictionary<string, SlugTarget> _categorySlugs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SlugTarget> _eventSlugs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SlugTarget> _columnSlugs = new(StringComparer.Ordinal);

    public TaxonomySnapshot(IEnumerable<Category> categories, IEnumerable<NewsEvent> events, IEnumerable<ThemedColumn>? columns = null)
    {
        Categories = categories.ToDictionary(c => c.Key, StringComparer.Ordinal);
        Events = events.ToDictionary(e => e.Key, StringComparer.Ordinal);
        Columns = (columns ?? []).ToDictionary(c => c.Key, StringComparer.Ordinal);
        Index(_categorySlugs, Categories.Values.Select(c => (c.Key, c.Slug, c.PreviousSlugs)));
        Index(_eventSlugs, Events.Values.Select(e => (e.Key, e.Slug, e.PreviousSlugs)));
        Index(_columnSlugs, Columns.Values.Select(c => (c.Key, c.Slug, c.PreviousSlugs)));
    }

    /// <summary>By key.</summary>
    public IReadOnlyDictionary<string, ThemedColumn> Columns { get; }

    /// <summary>The column a public slug, an old one or a key names.</summary>
    public SlugTarget? FindColumn(string slugOrKey) => _columnSlugs.GetValueOrDefault(slugOrKey);

    /// <summary>The active columns in editor order, as the homepage shows them.</summary>
    public IReadOnlyList<ThemedColumn> ActiveColumns() =>
        [.. Columns.Values.Where(c => c.Active).OrderBy(c => c.Order).ThenBy(c => c.Slug, StringComparer.Ordinal)];

    /// <summary>By key.</summary>
    public IReadOnlyDictionary<string, Category> Categories { get; }

    /// <summary>By key.</summary>
    public IReadOnlyDictionary<string, NewsEvent> Events { get; }

    /// <summary>The category a public slug, an old one or a key names.</summary>
    public SlugTarget? FindCategory(string slugOrKey) => _categorySlugs.GetValueOrDefault(slugOrKey);

    /// <summary>The event a public slug, an old one or a key names.</summary>
    public SlugTarget? FindEvent(string slugOrKey) => _eventSlugs.GetValueOrDefault(slugOrKey);

    /// <summary>The category and each of its ancestors, nearest first; stops on a cycle or a missing parent.</summary>
    public IEnumerable<Category> SelfAndAncestors(string key)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = key; current is not null && seen.Add(current) && Categories.TryGetValue(current, out var category); current = category.Parent)
        {
            yield return category;
        }
    }

    /// <summary>The top-level categories in service, each with its sub-sections, in editor order.</summary>
    public IReadOnlyList<CategoryNode> Tree()
    {
        var live = Categories.Values.Where(c => !c.Retired).ToList();
        var keys = live.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var children = live.Where(c => c.Parent is not null && keys.Contains(c.Parent)).ToLookup(c => c.Parent!, StringComparer.Ordinal);
        CategoryNode Node(Category c) => new(c.Slug, c.Name, c.Description, [.. Ordered(children[c.Key]).Select(Node)]) { Key = c.Key };
        return [.. Ordered(live.Where(c => c.Parent is null || !keys.Contains(c.Parent))).Select(Node)];
    }

    private static IEnumerable<Category> Ordered(IEnumerable<Category> categories) =>
        categories.OrderBy(c => c.Order).ThenBy(c => c.Slug, StringComparer.Ordinal);

    private static void Index(Dictionary<string, SlugTarget> index, IEnumerable<(string Key, string Slug, IReadOnlyList<string> Previous)> items)
    {
        var all = items.ToList();
        // Old slugs first, so a current slug always wins over an old one that another item once had.
        foreach (var (key, _, previous) in all)
        {
            foreach (var slug in previous.Append(key))
            {
                index[slug] = new SlugTarget(key, Moved: true);
            }
        }
        foreach (var (key, slug, _) in all)
        {
            index[slug] = new SlugTarget(key, Moved: false);
        }
    }
}

/// <summary>A section in the tree readers get: its public slug, name, description and sub-sections.</summary>
public sealed record CategoryNode(string Slug, string Name, string? Description, IReadOnlyList<CategoryNode> Children)
{
    [JsonIgnore]
    public string Key { get; init; } = Slug;
}
