using Newsroom.Listings;
using Newsroom.Reading;

namespace Newsroom.Homepage;

/// <summary>
/// What editors pin: article ids in the order they want them, and the box of links to other sites ("Liên kết
/// website") in its order.
/// </summary>
public sealed record HomepageLayout(IReadOnlyList<string> TopStories, IReadOnlyList<string> FeaturedVideos)
{
    public static readonly HomepageLayout Empty = new([], []);

    public IReadOnlyList<HomepageLink> Links { get; init; } = [];
}

/// <summary>A themed column as the homepage shows it: a banner that leads to its listing.</summary>
public sealed record HomepageColumn(string Slug, string Name, string? Description, Articles.PhotoRef? Banner);

/// <summary>A link to another site (https only).</summary>
public sealed record HomepageLink(string Title, string Url);

public sealed record HomepageSection(CategoryRef Category, IReadOnlyList<TeaserView> Items);

public sealed record HomepageEvent(EventRef Event, IReadOnlyList<TeaserView> Items);

/// <summary>The homepage as readers get it in one call.</summary>
public sealed record HomepageSnapshot(
    long Version,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<TeaserView> TopStories,
    IReadOnlyList<TeaserView> Latest,
    IReadOnlyList<HomepageSection> Sections,
    IReadOnlyList<HomepageEvent> Events,
    IReadOnlyList<TeaserView> FeaturedVideos)
{
    /// <summary>"Liên kết website", in the editors' order.</summary>
    public IReadOnlyList<HomepageLink> Links { get; init; } = [];

    /// <summary>The active themed columns ("chuyên đề") in the editors' order, as a block of banners.</summary>
    public IReadOnlyList<HomepageColumn> Columns { get; init; } = [];

    /// <summary>"Báo in": the newest issue of each periodical, in the periodicals' order.</summary>
    public IReadOnlyList<Print.PrintIssueView> PrintIssues { get; init; } = [];
}

/// <summary>The heads of the listings a rebuild reads, and the pinned articles that are public.</summary>
public sealed record HomepageInputs(
    IReadOnlyList<Teaser> PinnedTopStories,
    IReadOnlyList<Teaser> Newest,
    IReadOnlyList<(string Category, IReadOnlyList<Teaser> Head)> Sections,
    IReadOnlyList<(string Event, IReadOnlyList<Teaser> Head)> Events,
    IReadOnlyList<Teaser> PinnedVideos,
    IReadOnlyList<Teaser> NewestVideos)
{
    public IReadOnlyList<HomepageLink> Links { get; init; } = [];

    public IReadOnlyList<HomepageColumn> Columns { get; init; } = [];

    public IReadOnlyList<Print.PrintIssueView> PrintIssues { get; init; } = [];
}
